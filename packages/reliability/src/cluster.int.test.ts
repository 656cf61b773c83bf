import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnNode, startNatsCluster, waitFor, type NatsCluster, type TestClient } from '@mg/test-helpers';
import { longestGap, streamCommands } from './command-stream.js';
import { messageIds, tallyIds, type IdTally } from './deliveries.js';
import { MAP_FILE, ROOT, STATUS_FILTER, commandTopic, idOf, writeConf, type ProbeProcess } from './probe.js';
import type { ProbeReport } from './probe-protocol.js';
import { useResources } from './resources.js';
import { scenario } from './scenario.js';

// Gateways on a 3-node NATS 2.9 cluster, [MQTT] host listing the three nodes, while nodes die
// or restart: every QoS 1 command sent through another node must reach an interface. NATS 2.9
// has no shared subscriptions, so two instances split the work by topic (one location each).
const LAUNCHER = join(dirname(require.resolve('@mg/interface-dummy/package.json')), 'dist', 'launcher.js');
const { add, probe, client } = useResources();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sec = (ms: number) => (ms / 1000).toFixed(1);

async function cluster(): Promise<NatsCluster> {
  const c = await startNatsCluster({ nodes: 3 });
  add(() => c.close());
  return c;
}

/** `[MQTT] host` listing every node, starting with node `first` (0-based). */
const hostsFrom = (c: NatsCluster, first: number) => [0, 1, 2].map((i) => `127.0.0.1:${c.ports[(first + i) % 3]}`).join(', ');
const nodeOf = (c: NatsCluster, url: string) => `node ${c.urls.indexOf(url) + 1}`;

/** A persistent-session gateway (clean off, fixed client id, QoS 1 both ways, short delays) starting on node `first`. */
function gateway(c: NatsCluster, clientid: string, first: number, mqtt: Record<string, string | number> = {}): ProbeProcess {
  return probe(
    writeConf(c.urls[first]!, { host: hostsFrom(c, first), clientid, clean: 'off', subqos: 1, pubqos: 1, reconnectmin: 0.2, reconnectmax: 1, ...mqtt }),
  );
}

/** The client that sends the commands and reads the replies: on node 3, with a persistent session. */
async function device(c: NatsCluster, clientId: string): Promise<TestClient> {
  const d = await client(c.urls[2]!, { clientId, clean: false });
  await d.subscribe(STATUS_FILTER, 1);
  return d;
}

const replyIds = (d: TestClient) => d.messages.map((m) => idOf(m.topic));

/** "node 2 after 0.3 s": where the gateway reconnected after `from`, and how soon. */
function movedTo(c: NatsCluster, gw: ProbeProcess, from: number): string {
  const next = gw.connections.find((x) => x.at >= from);
  return next ? `${nodeOf(c, next.url)} after ${sec(next.at - from)} s` : 'nowhere';
}

/** Commands a second that reached the gateway in [from, to). */
const rate = (times: readonly number[], from: number, to: number) =>
  Math.round((times.filter((x) => x >= from && x < to).length * 1000) / Math.max(1, to - from));

/** "Readloop processing time" warnings: a node that took seconds to process a client's packets. */
const stalls = (c: NatsCluster) => c.nodes.reduce((n, node) => n + (node.output.match(/Readloop processing time/g)?.length ?? 0), 0);

/** What the gateway itself counted: a command missing here and from `received` never reached it from the broker. */
const gatewayCounts = (r: ProbeReport) =>
  `the gateway received ${r.counters!.received} and handed ${r.counters!.delivered} to the interface (${r.counters!.incomingDropped} dropped)`;

/** Waits (bounded) until every id reached the gateway and came back as a reply, then tallies both. */
async function settle(ids: readonly string[], gw: { received: string[] }, d: TestClient): Promise<{ cmd: IdTally; replies: IdTally }> {
  await waitFor(() => tallyIds(ids, gw.received).lost === 0, 'every command', 60_000).catch(() => undefined);
  await waitFor(() => tallyIds(ids, replyIds(d)).lost === 0, 'every reply', 30_000).catch(() => undefined);
  await sleep(500); // late duplicates, if any
  return { cmd: tallyIds(ids, gw.received), replies: tallyIds(ids, replyIds(d)) };
}

scenario(
  "NATS 3-node cluster: the gateway's node killed -9 mid-stream, the gateway moves to another node (2,000 QoS 1 commands)",
  async (t) => {
    const c = await cluster();
    const gw = gateway(c, 'probe-cluster-kill', 0);
    await gw.connected;
    await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
    const d = await device(c, 'suite-device-kill');
    const ids = messageIds('k', 2000);
    let killedAt = Number.POSITIVE_INFINITY;
    await streamCommands(d, ids, commandTopic, { window: 50, paceMs: 5, at: new Map([[1000, () => ((killedAt = Date.now()), void c.kill(0))]]) });
    const { cmd, replies } = await settle(ids, gw, d);
    const report = await gw.report();
    const gap = longestGap(gw.receivedAt, killedAt);
    Object.assign(t, {
      ...cmd,
      notes:
        `reconnected to ${movedTo(c, gw, killedAt)} (${report.counters!.connections} connections in all); ${rate(gw.receivedAt, killedAt - 3_000, killedAt)} commands/s before the kill; ` +
        `longest silence ${sec(gap.ms)} s, last command ${sec(Math.max(...gw.receivedAt) - killedAt)} s after the kill (NATS logged ${stalls(c)} read-loop stalls of seconds); replies ${replies.delivered}/${replies.sent}, ${replies.duplicated} duplicated; ${report.counters!.subscriptionsRefused} subscriptions refused and retried; ${gatewayCounts(report)}`,
    });
    expect(cmd.missing).toEqual([]);
    expect(replies.missing).toEqual([]);
    // More than one move happens: for seconds after a node dies, a survivor may time out storing a
    // QoS 1 message in JetStream ("timeout for request type MS", 4 s) and close the connection.
    expect(report.counters!.connections).toBeGreaterThanOrEqual(2);
    expect(report.counters!.broker).not.toBe(c.urls[0]);
    // NATS never publishes the will of a client whose node died; the gateway said "online" again on its new node.
    const late = await client(c.urls[2]!);
    // QoS 0: while a node is down, NATS may refuse a new QoS 1 subscription (SUBACK 0x80).
    await late.subscribe(`${ROOT}/probe-cluster-kill/availability`, 0);
    expect(await late.waitFor((m) => m.retain, 'the retained availability')).toMatchObject({ payload: 'online' });
  },
  150_000,
);

scenario(
  'NATS 3-node cluster: rolling restart of the three nodes during a stream (2,000 QoS 1 commands)',
  async (t) => {
    const c = await cluster();
    const gw = gateway(c, 'probe-cluster-rolling', 0);
    await gw.connected;
    await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
    const d = await device(c, 'suite-device-rolling');
    const ids = messageIds('r', 2000);
    const stoppedAt: number[] = [];
    const restarts: number[] = [];
    // One node after the other, each back and ready (meta leader, CONNACK) plus 2 s before the next.
    const rolling = async () => {
      for (const i of [0, 1, 2]) {
        stoppedAt.push(Date.now());
        await c.restart(i);
        restarts.push(Date.now() - stoppedAt[i]!);
        await sleep(2_000);
      }
    };
    let restarted: Promise<void> = Promise.resolve();
    const startedAt = Date.now();
    await streamCommands(d, ids, commandTopic, { window: 50, paceMs: 10, at: new Map([[200, () => (restarted = rolling())]]) });
    await restarted;
    const { cmd, replies } = await settle(ids, gw, d);
    const report = await gw.report();
    Object.assign(t, {
      ...cmd,
      notes:
        `nodes 1, 2, 3 restarted in turn (back in ${restarts.map(sec).join(', ')} s); the gateway reconnected to ${stoppedAt.map((at) => movedTo(c, gw, at)).join(', ')} (${report.counters!.connections} connections); ` +
        `longest time without a command ${sec(longestGap(gw.receivedAt, startedAt).ms)} s; replies ${replies.delivered}/${replies.sent}, ${replies.duplicated} duplicated; ${report.counters!.subscriptionsRefused} subscriptions refused and retried; ${gatewayCounts(report)}`,
    });
    expect(cmd.missing).toEqual([]);
    expect(replies.missing).toEqual([]);
    expect(report.counters!.connections).toBeGreaterThanOrEqual(2);
  },
  180_000,
);

/** A copy of the dummy map whose subscriptions cover one location only: one partition. */
function partitionMap(location: string): string {
  const map = JSON.parse(readFileSync(MAP_FILE, 'utf8')) as { topics: string[] };
  map.topics = [`${ROOT}/+/dummy/${location}/+/+/C`];
  const file = join(mkdtempSync(join(tmpdir(), 'mg-rel-map-')), `${location}.map.json`);
  writeFileSync(file, JSON.stringify(map));
  return file;
}

scenario(
  'NATS 3-node cluster: two instances on different nodes, split by topic; node 1 killed -9 mid-stream (2 × 1,000 commands)',
  async (t) => {
    const c = await cluster();
    const topicAt = (location: string) => (id: string) => `${ROOT}/lighting/dummy/${location}/${id}/suite/C`;
    const office = gateway(c, 'probe-office', 0, { mapfilename: partitionMap('office') });
    const kitchen = gateway(c, 'probe-kitchen', 1, { mapfilename: partitionMap('kitchen') });
    for (const gw of [office, kitchen]) {
      await gw.connected;
      await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
    }
    const d = await device(c, 'suite-device-split');
    const officeIds = messageIds('o', 1000);
    const kitchenIds = messageIds('n', 1000);
    // Interleaved: o0, n0, o1, n1, ...
    const ids = officeIds.flatMap((o, i) => [o, kitchenIds[i]!]);
    const topicOf = (id: string) => (id.startsWith('o') ? topicAt('office')(id) : topicAt('kitchen')(id));
    let killedAt = Number.POSITIVE_INFINITY;
    await streamCommands(d, ids, topicOf, { window: 50, paceMs: 5, at: new Map([[1000, () => ((killedAt = Date.now()), void c.kill(0))]]) });
    const o = await settle(officeIds, office, d);
    const k = await settle(kitchenIds, kitchen, d);
    const [ro, rk] = [await office.report(), await kitchen.report()];
    const strays = office.received.filter((id) => id.startsWith('n')).length + kitchen.received.filter((id) => id.startsWith('o')).length;
    Object.assign(t, {
      sent: ids.length,
      delivered: o.cmd.delivered + k.cmd.delivered,
      lost: o.cmd.lost + k.cmd.lost,
      duplicated: o.cmd.duplicated + k.cmd.duplicated,
      notes:
        `office instance reconnected to ${movedTo(c, office, killedAt)} (no command for ${sec(longestGap(office.receivedAt, killedAt).ms)} s, the last ${sec(Math.max(...office.receivedAt) - killedAt)} s after the kill); ` +
        `kitchen instance (node 2 first) ended on ${nodeOf(c, rk.counters!.broker)} after ${rk.counters!.connections} connection${rk.counters!.connections === 1 ? '' : 's'}; ${strays} commands reached the wrong instance; replies ${o.replies.delivered + k.replies.delivered}/${ids.length}`,
    });
    expect({ office: o.cmd.missing, kitchen: k.cmd.missing, strays }).toEqual({ office: [], kitchen: [], strays: 0 });
    expect([...o.replies.missing, ...k.replies.missing]).toEqual([]);
    expect(ro.counters!.broker).not.toBe(c.urls[0]);
  },
  150_000,
);

scenario(
  'dummy2mqtt with host listing 3 NATS nodes: keeps sending MUTE_ON and receiving commands after its node is killed -9',
  async (t) => {
    const c = await cluster();
    const conf = writeConf(
      c.urls[0]!,
      { host: c.ports.map((p) => `127.0.0.1:${p}`).join(', '), clientid: 'dummy2mqtt-cluster', clean: 'off', subqos: 1, pubqos: 1, statsinterval: 1 },
      { INTERFACE: { port: '/dev/ttyDUMMY', interval: 0.5 } },
    );
    const watcher = await client(c.urls[2]!, { clientId: 'suite-watcher-dummy', clean: false });
    await watcher.subscribe(`${ROOT}/#`, 1);
    // A second persistent QoS 1 subscriber to the commands, on node 2, which survives: a command
    // it never gets either was lost by the cluster after it acknowledged the publish (seen once in
    // CI: 1 of 100, with the gateway's own counter at 99), not by the gateway.
    const control = await client(c.urls[1]!, { clientId: 'suite-control-dummy', clean: false });
    await control.subscribe(`${ROOT}/audiovideo/dummy/office/+/suite/C`, 1);
    const dummy = spawnNode(LAUNCHER, ['-c', conf]);
    add(async () => {
      dummy.child.kill('SIGKILL');
      await dummy.exit;
    });
    const mutes = () => watcher.messages.filter((m) => m.topic.startsWith(`${ROOT}/dummyfunction/`) && m.payload === 'mute_on').length;
    const stats = () =>
      watcher.messages
        .filter((m) => m.topic === `${ROOT}/dummy2mqtt-cluster/stats`)
        .map((m) => JSON.parse(m.payload) as { delivered: number; broker: string; connections: number });
    await waitFor(() => mutes() >= 2 && /subscribed to/.test(dummy.out()), 'dummy2mqtt connected and sending MUTE_ON', 20_000);
    // A command every 100 ms, as a user's device would, from node 3: 40 before the kill, 60 after.
    const ids = messageIds('d', 100);
    const topic = (id: string) => `${ROOT}/audiovideo/dummy/office/${id}/suite/C`;
    let killedAt = Number.POSITIVE_INFINITY;
    let mutesAtKill = 0;
    await streamCommands(watcher, ids, topic, {
      window: 10,
      paceMs: 100,
      at: new Map([[40, () => ((mutesAtKill = mutes()), (killedAt = Date.now()), void c.kill(0))]]),
    });
    const received = () => [...dummy.out().matchAll(/received C function=AudioVideo gateway=Dummy location=Office device=(d\d+) /g)].map((m) => m[1]!);
    const sentAt = Date.now();
    await waitFor(() => tallyIds(ids, received()).lost === 0, 'every command', 60_000).catch(() => undefined);
    const allInAt = Date.now();
    await waitFor(() => mutes() >= mutesAtKill + 10, '10 MUTE_ON after the kill', 30_000).catch(() => undefined);
    const r = tallyIds(ids, received());
    await waitFor(() => (stats().at(-1)?.delivered ?? 0) >= r.delivered, 'the stats', 5_000).catch(() => undefined);
    const clusterLost = tallyIds(
      ids,
      control.messages.map((m) => idOf(m.topic)),
    ).missing;
    const last = stats().at(-1);
    Object.assign(t, {
      ...r,
      notes:
        `MUTE_ON published: ${mutesAtKill} before the kill, ${mutes() - mutesAtKill} after (in ${sec(Date.now() - killedAt)} s); commands sent over ${sec(sentAt - killedAt)} s after the kill, ` +
        `${r.lost === 0 ? 'all in' : 'waited'} ${sec(allInAt - killedAt)} s after it; stats: on ${nodeOf(c, last?.broker ?? '')} after ${last?.connections} connections, delivered ${last?.delivered}; ` +
        `a control subscriber on node 2 missed ${clusterLost.length} (lost by the cluster)`,
    });
    // The gateway misses nothing the cluster delivered to another persistent session.
    expect(r.missing.filter((id) => !clusterLost.includes(id))).toEqual([]);
    // The control itself is sound: it has every command sent well before the kill.
    expect(clusterLost.filter((id) => ids.indexOf(id) < 30)).toEqual([]);
    expect(mutes() - mutesAtKill).toBeGreaterThanOrEqual(10);
    expect(last!.connections).toBeGreaterThanOrEqual(2);
    expect(last!.broker).not.toBe(c.urls[0]);
    expect(last!.delivered).toBeGreaterThanOrEqual(r.delivered);
  },
  120_000,
);
