import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import type { NatsCluster } from '@mg/test-helpers';
import mqtt from 'mqtt';
import { openProbe } from './compat.js';

// Experiments on a NATS 2.9 cluster for what the compatibility table cannot say in one word:
// what happens to a will, a session and new subscriptions when a node dies, QoS 2, MQTT 5.
// Each returns what it measured; the tests assert it and write it down.

const topicFor = (what: string) => `mgnats/${randomBytes(4).toString('hex')}/${what}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WillOnNodeKill {
  /** ms from the kill to the will on a surviving node, null when it never came within `waitedMs`. */
  willAfterMs: number | null;
  waitedMs: number;
  /** What a late subscriber on a surviving node reads on the availability topic after the kill. */
  retainedAfterKill: string | null;
  /** Whether the will came once the killed node was back. */
  willAfterRestart: boolean;
  /** ms for the killed node to restart and accept MQTT again. */
  restartMs: number;
}

/**
 * A client with a retained "online" and a retained "offline" will is connected to node 0, which
 * is killed -9: do the surviving nodes (or the node once restarted) publish the will?
 */
export async function willWhenNodeIsKilled(cluster: NatsCluster, waitMs = 15_000): Promise<WillOnNodeKill> {
  const topic = topicFor('availability');
  const watchers = [await openProbe(cluster.urls[1]!), await openProbe(cluster.urls[2]!)];
  const opened = [...watchers];
  try {
    for (const w of watchers) await w.client.subscribeAsync(topic, { qos: 1 });
    // keepalive 5 s: a node that held the connection would give up on it within 7.5 s.
    const client = await openProbe(cluster.urls[0]!, { keepalive: 5, will: { topic, payload: Buffer.from('offline'), qos: 1, retain: true } });
    opened.push(client);
    await client.client.publishAsync(topic, 'online', { qos: 1, retain: true });
    for (const w of watchers) await w.waitCount((m) => m.payload.toString() === 'online', 1);
    const offline = () => watchers.some((w) => w.messages.some((m) => m.payload.toString() === 'offline'));
    const killedAt = Date.now();
    await cluster.kill(0);
    let willAfterMs: number | null = null;
    while (Date.now() - killedAt < waitMs) {
      if (offline()) {
        willAfterMs = Date.now() - killedAt;
        break;
      }
      await sleep(50);
    }
    const late = await openUntil(cluster.urls[1]!, {}, Date.now() + 20_000);
    opened.push(late);
    // QoS 0: with a node down, a QoS 1 subscription can be refused (see subscriptionsWhileNodeDown).
    await late.client.subscribeAsync(topic, { qos: 0 });
    await late.waitCount((m) => m.retain, 1);
    const retainedAfterKill = late.messages.find((m) => m.retain)?.payload.toString() ?? null;
    const restartAt = Date.now();
    await cluster.restart(0);
    const restartMs = Date.now() - restartAt;
    await sleep(3_000);
    const willAfterRestart = willAfterMs === null && offline();
    return { willAfterMs, waitedMs: waitMs, retainedAfterKill, willAfterRestart, restartMs };
  } finally {
    await Promise.all(opened.map((p) => p.close()));
  }
}

export interface SessionMove {
  /** The killed node (numbered from 1) and the MQTT streams it led when it died. */
  victim: string;
  ledStreams: string[];
  sent: number;
  /** Unique messages the client got back on the other node. */
  delivered: number;
  duplicated: number;
  sessionPresent: boolean;
  /** ms from the kill to the returning client's CONNACK on another node. */
  reconnectMs: number;
  /** ms from the kill until every publish was acknowledged; null when some never were within the bound. */
  ackedMs: number | null;
  /** How often the surviving node closed the publisher's connection meanwhile. */
  publisherDisconnects: number;
  /** ms from the kill to the last message on the other node; null when not all came. */
  recoveredMs: number | null;
}

/**
 * A persistent session (clean false, QoS 1 subscription) on the node that leads the QoS 1
 * message stream; that node is killed -9; a reconnecting MQTT.js publisher sends QoS 1 messages
 * through a second node meanwhile; the client comes back on the third node.
 */
export async function sessionMovesAfterNodeKill(cluster: NatsCluster, count = 10, boundMs = 40_000): Promise<SessionMove> {
  const topic = topicFor('session');
  const clientId = `mgnats-session-${randomBytes(4).toString('hex')}`;
  // The streams exist once a persistent session has subscribed once.
  const warm = await openProbe(cluster.urls[0]!, { clientId: `${clientId}-warm`, clean: false });
  await warm.client.subscribeAsync(`${topic}/warm`, { qos: 1 });
  await warm.client.unsubscribeAsync(`${topic}/warm`);
  await warm.close();
  const leaders = await streamLeaders(cluster.nodes[0]!.monitorPort);
  const victim = Math.max(
    0,
    cluster.nodes.findIndex((n) => n.name === leaders.$MQTT_msgs),
  );
  const [viaPub, viaBack] = cluster.nodes.map((n) => n.index).filter((i) => i !== victim) as [number, number];
  const first = await openProbe(cluster.urls[victim]!, { clientId, clean: false });
  await first.client.subscribeAsync(topic, { qos: 1 });
  const killedAt = Date.now();
  await cluster.kill(victim);
  void first.close();
  const deadline = killedAt + boundMs;
  // What a gateway does: reconnect on its own and resend what was not acknowledged.
  const pub = mqtt.connect(cluster.urls[viaPub]!, { reconnectPeriod: 500, connectTimeout: 5_000, clientId: `${clientId}-pub`, clean: false });
  let publisherDisconnects = 0;
  pub.on('close', () => (publisherDisconnects += 1));
  pub.on('error', () => undefined);
  try {
    const publishing = (async () => {
      for (let i = 0; i < count; i++) await pub.publishAsync(topic, `m${i}`, { qos: 1 });
      return Date.now() - killedAt;
    })();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, deadline - Date.now()))));
    const ackedMs = await Promise.race([publishing, bound]);
    clearTimeout(timer);
    const back = await openUntil(cluster.urls[viaBack]!, { clientId, clean: false }, deadline);
    const reconnectMs = Date.now() - killedAt;
    try {
      const all = await back.waitCount(() => true, count, Math.max(1_000, deadline - Date.now()));
      const recoveredMs = all ? Date.now() - killedAt : null;
      await sleep(500); // redeliveries, if any
      const payloads = back.messages.map((m) => m.payload.toString());
      const delivered = new Set(payloads).size;
      return {
        victim: `node ${victim + 1}`,
        ledStreams: Object.entries(leaders)
          .filter(([, l]) => l === cluster.nodes[victim]!.name)
          .map(([s]) => s),
        sent: count,
        delivered,
        duplicated: payloads.length - delivered,
        sessionPresent: back.connack.sessionPresent,
        reconnectMs,
        ackedMs,
        publisherDisconnects,
        recoveredMs,
      };
    } finally {
      await back.client.unsubscribeAsync(topic).catch(() => undefined);
      await back.close();
    }
  } finally {
    await pub.endAsync(true);
  }
}

/** Opens a probe, retrying until `deadline`: right after a kill, CONNECTs can time out for a few seconds. */
async function openUntil(url: string, options: Parameters<typeof openProbe>[1], deadline: number) {
  for (;;) {
    try {
      return await openProbe(url, options);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(200);
    }
  }
}

/** Which node leads each MQTT stream ($MQTT_sess, $MQTT_msgs, $MQTT_rmsgs), from a node's /jsz. */
function streamLeaders(monitorPort: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: monitorPort, path: '/jsz?accounts=true&streams=true', timeout: 2_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        const jsz = JSON.parse(body) as { account_details?: Array<{ stream_detail?: Array<{ name: string; cluster?: { leader?: string } }> }> };
        const out: Record<string, string> = {};
        for (const a of jsz.account_details ?? []) for (const st of a.stream_detail ?? []) out[st.name] = st.cluster?.leader ?? '';
        resolve(out);
      });
    }).on('error', reject);
  });
}

export interface SubscriptionsWhileDown {
  /** SUBSCRIBEs by new clients on a surviving node while one node is down, by QoS: [granted, refused with 0x80]. */
  qos1: [number, number];
  qos0: [number, number];
  /** The slowest refusal, ms (the node waits for JetStream before it answers). */
  slowestRefusalMs: number;
  /** QoS 1 SUBSCRIBEs once the node is back: [granted, refused]. */
  qos1AfterRestart: [number, number];
  /** "Unable to add JetStream consumer" lines the surviving node logged meanwhile. */
  consumerErrorsLogged: number;
}

/** New clients subscribe on node 1 while node 0 is down (each QoS 1 one needs a JetStream consumer), then once it is back. */
export async function subscriptionsWhileNodeDown(cluster: NatsCluster, attempts = 6): Promise<SubscriptionsWhileDown> {
  const warm = await openProbe(cluster.urls[0]!);
  await warm.client.subscribeAsync(topicFor('warm'), { qos: 1 });
  await warm.close();
  await cluster.kill(0);
  const logFrom = cluster.nodes[1]!.output.length;
  let slowestRefusalMs = 0;
  const tryOnce = async (qos: 0 | 1): Promise<boolean> => {
    const p = await openUntil(cluster.urls[1]!, {}, Date.now() + 20_000);
    const started = Date.now();
    try {
      await p.client.subscribeAsync(topicFor('sub'), { qos });
      return true;
    } catch {
      slowestRefusalMs = Math.max(slowestRefusalMs, Date.now() - started);
      return false;
    } finally {
      await p.close();
    }
  };
  const count = async (qos: 0 | 1): Promise<[number, number]> => {
    let granted = 0;
    for (let i = 0; i < attempts; i++) if (await tryOnce(qos)) granted += 1;
    return [granted, attempts - granted];
  };
  const qos1 = await count(1);
  const qos0 = await count(0);
  const consumerErrorsLogged = cluster.nodes[1]!.output.slice(logFrom).split('Unable to add JetStream consumer').length - 1;
  await cluster.restart(0);
  const qos1AfterRestart = await count(1);
  return { qos1, qos0, slowestRefusalMs, qos1AfterRestart, consumerErrorsLogged };
}

export interface Qos2Behaviour {
  /** What SUBACK granted for a QoS 2 subscription. */
  granted: number;
  /** Whether the server closed the publisher's connection after a QoS 2 PUBLISH. */
  publisherDisconnected: boolean;
  /** Whether the subscriber got the QoS 2 message. */
  delivered: boolean;
}

/** A QoS 2 subscription on node 2 and a QoS 2 publish on node 0. */
export async function qos2Behaviour(cluster: NatsCluster): Promise<Qos2Behaviour> {
  const topic = topicFor('qos2');
  const sub = await openProbe(cluster.urls[2]!);
  const pub = await openProbe(cluster.urls[0]!);
  try {
    const [g] = await sub.client.subscribeAsync(topic, { qos: 2 });
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<boolean>((resolve) => {
      pub.client.once('close', () => resolve(true));
      timer = setTimeout(() => resolve(false), 3_000);
    });
    pub.client.publish(topic, 'two', { qos: 2 });
    const publisherDisconnected = await closed;
    clearTimeout(timer);
    const delivered = await sub.waitCount((m) => m.payload.toString() === 'two', 1, 2_000);
    return { granted: g?.qos ?? 128, publisherDisconnected, delivered };
  } finally {
    await Promise.all([sub.close(), pub.close()]);
  }
}

export interface Mqtt5Connect {
  accepted: boolean;
  /** CONNACK return code when refused (1: unacceptable protocol version), or undefined when the connection just closed. */
  returnCode?: number;
  message: string;
}

/** An MQTT 5 CONNECT to one node. */
export async function mqtt5Connect(url: string): Promise<Mqtt5Connect> {
  try {
    const c = await openProbe(url, { protocolVersion: 5 });
    await c.close();
    return { accepted: true, message: 'accepted' };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { accepted: false, returnCode: typeof code === 'number' ? code : undefined, message: (err as Error).message };
  }
}
