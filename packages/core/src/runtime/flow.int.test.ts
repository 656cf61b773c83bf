// Flow control against real brokers: a full incoming list stops reading (nothing acknowledged is
// dropped), the session survives an interface stuck past the keepalive, polling turns follow the
// messages, and the way out is bounded and accounted for.
import { connectClient, startMosquitto, SHARED_BROKER_URL, uniqueRoot, waitFor, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { dummyMapWithRoot } from '../test-support/fixtures.js';
import { InternalMessage, type GatewayInterface, type InterfaceContext } from '../index.js';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';

const ROOT = uniqueRoot();
const MAP = dummyMapWithRoot(ROOT);
const command = (i: number) => `${ROOT}/lighting/dummy/office/d${i}/tester/C`;
let client: TestClient | undefined;
let gw: Harness | undefined;
let broker: Mosquitto | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await client?.end();
  client = undefined;
  await broker?.dispose();
  broker = undefined;
});

/** Polling interface that takes messages only while the gate is open. */
class Gated implements GatewayInterface {
  static open = false;
  static seen: string[] = [];
  static turns = 0;
  constructor(private readonly ctx: InterfaceContext) {
    Gated.seen = [];
    Gated.turns = 0;
  }
  loop(): void {
    Gated.turns += 1;
    if (!Gated.open) return;
    for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) {
      Gated.seen.push(m.device);
      if (m.action === 'LIGHT_ON') this.ctx.outgoing.push(m.reply('OK', ''));
    }
  }
}

async function sendCommands(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await client!.publish(command(i), 'light_off', { qos: 1 });
}

describe('incoming flow control (incomingoverflow pause, the default)', () => {
  it('stops reading at incomingsize, drops nothing, and delivers everything in order once the interface takes messages', async () => {
    Gated.open = false;
    client = await connectClient(SHARED_BROKER_URL);
    gw = await runGateway(Gated, mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: `flow-pause-${process.pid}`, subqos: 1, incomingsize: 5 }));
    await waitFor(() => gw!.subscriptions.length > 0, 'the subscription');
    await sendCommands(200);
    await waitFor(() => gw!.handle.counters.incomingPaused, 'reading paused');
    await waitFor(() => gw!.handle.counters.delivered >= 5, 'the five the list takes');
    await new Promise((r) => setTimeout(r, 300)); // a window for a sixth, which must not come
    const c = gw.handle.counters;
    // Five in the list and one held with its acknowledgement (not delivered until it is in the
    // list): the other 194 wait at the broker.
    expect(c.delivered).toBe(5);
    expect(Gated.seen).toEqual([]);
    Gated.open = true;
    await waitFor(() => Gated.seen.length === 200, 'every command', 15_000);
    expect(Gated.seen).toEqual(Array.from({ length: 200 }, (_, i) => `d${i}`));
    const after = gw.handle.counters;
    expect(after.incomingDropped).toBe(0);
    expect(after.incomingPauses).toBeGreaterThanOrEqual(1);
    expect(after.incomingPaused).toBe(false);
  });

  // acknowledge: received pauses on the full list; taken stops reading on the first message the
  // interface does not take: both must keep the session alive by themselves.
  it.each(['received', 'taken'])(
    'keeps the session when the interface is stuck for longer than the keepalive: no reconnection, no will (acknowledge: %s)',
    async (acknowledge) => {
      Gated.open = false;
      const id = `flow-stuck-${acknowledge}-${process.pid}`;
      client = await connectClient(SHARED_BROKER_URL);
      await client.subscribe(`${ROOT}/${id}/availability`, 1);
      gw = await runGateway(
        Gated,
        mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: id, subqos: 1, clean: 'off', incomingsize: 3, keepalive: 1, acknowledge }),
      );
      await client.waitFor((m) => m.topic === `${ROOT}/${id}/availability` && m.payload === 'online', 'online');
      await sendCommands(30);
      if (acknowledge === 'received') await waitFor(() => gw!.handle.counters.incomingPaused, 'reading paused');
      else await waitFor(() => gw!.handle.counters.delivered === 1, 'the first command, not taken');
      // 3.5 keepalives: MQTT.js alone would have timed out (1.5) and the broker sent the will.
      await new Promise((r) => setTimeout(r, 3_500));
      expect(gw.handle.counters.disconnections).toBe(0);
      expect(client.messages.filter((m) => m.topic.endsWith('/availability')).map((m) => m.payload)).toEqual(['online']);
      Gated.open = true;
      await waitFor(() => Gated.seen.length === 30, 'every command', 10_000);
      expect(Gated.seen).toEqual(Array.from({ length: 30 }, (_, i) => `d${i}`));
      expect(gw.handle.counters.connections).toBe(1);
      await gw.stop();
      gw = undefined;
      // A persistent session: stopped, so nothing is left for a later run to find.
      const clean = await runGateway(Gated, mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: id, clean: 'on' }));
      await clean.stop();
    },
  );
});

describe('polling turns', () => {
  it('calls loop() as soon as a message arrives, not at the next timeout', async () => {
    Gated.open = true;
    client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${ROOT}/lighting/dummy/office/+/+/S`);
    // One turn at start, the next one 30 s later: only the arrival can explain an earlier reply.
    gw = await runGateway(Gated, mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: `flow-turn-${process.pid}`, timeout: 30 }));
    await waitFor(() => gw!.subscriptions.length > 0, 'the subscription');
    await client.publish(command(7), 'light_on');
    await client.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/office/d7/dummy2mqtt/S`, 'the reply', 15_000);
  });

  it('with acknowledge: taken (one message at a time), still runs a turn for each message, not one per timeout', async () => {
    Gated.open = true;
    client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${ROOT}/lighting/dummy/office/+/+/S`, 1);
    const id = `flow-taken-turns-${process.pid}`;
    gw = await runGateway(Gated, mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: id, timeout: 30, subqos: 1, pubqos: 1, acknowledge: 'taken' }));
    await waitFor(() => gw!.subscriptions.length > 0, 'the subscription');
    await Promise.all(Array.from({ length: 200 }, (_, i) => client!.publish(command(i), 'light_on', { qos: 1 })));
    // One per 30 s timeout would take 100 minutes.
    await waitFor(() => Gated.seen.length === 200, 'every command', 15_000);
    await waitFor(() => client!.messages.length === 200, 'every reply', 15_000);
  });

  it('is not a busy loop when idle: loop() runs about once per timeout', async () => {
    Gated.open = true;
    gw = await runGateway(Gated, mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, clientid: `flow-idle-${process.pid}`, timeout: 0.1 }));
    await waitFor(() => gw!.handle.counters.connections === 1, 'the connection');
    // Ten turns come at all (a turn every timeout), and take at least about ten timeouts (not
    // spinning). A loaded machine only makes them later, which neither bound minds.
    const before = Gated.turns;
    const started = Date.now();
    await waitFor(() => Gated.turns - before >= 10, 'ten turns', 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });
});

/** Event-driven interface that pushes `count` statuses as fast as it can. */
function producer(count: number, options: { waitEvery?: number; topics?: number }) {
  return class Producer implements GatewayInterface {
    static done = false;
    constructor(private readonly ctx: InterfaceContext) {
      Producer.done = false;
    }
    start(): void {
      void this.produce();
    }

    private async produce(): Promise<void> {
      await new Promise((r) => setTimeout(r, 300)); // let the connection come up
      for (let i = 0; i < count; i++) {
        const topics = options.topics;
        this.ctx.outgoing.push(
          new InternalMessage({
            function: 'Lighting',
            location: 'Office',
            device: topics ? `t${i % topics}` : 'meter',
            action: 'LIGHT_ON',
            arguments: { n: i },
            // A correlation makes each one a reply: never replaced by a newer one.
            correlation: topics ? undefined : String(i),
          }),
        );
        if (options.waitEvery && i % options.waitEvery === 0) await this.ctx.outgoing.drained();
      }
      Producer.done = true;
    }
  };
}

describe('outgoing flow control', () => {
  const N = 20_000;
  // No queue limit at the broker for the collecting client: what is measured is the gateway.
  const setup = async (Interface: ReturnType<typeof producer>, id: string) => {
    broker = await startMosquitto({ extraConfig: ['max_queued_messages 0'] });
    client = await connectClient(broker.url);
    await client.subscribe(`${ROOT}/lighting/#`, 1);
    gw = await runGateway(Interface, [...mqttLines(broker.url, { mapfilename: MAP, clientid: id, pubqos: 1, outboxsize: 100 })]);
  };

  it('an interface that awaits outgoing.drained() loses nothing, whatever the outbox size', async () => {
    const P = producer(N, { waitEvery: 50 });
    await setup(P, `flow-drained-${process.pid}`);
    await waitFor(() => P.done, 'the producer', 30_000);
    await waitFor(() => client!.messages.length === N, 'every status', 30_000);
    expect(gw!.handle.counters.dropped).toBe(0);
    const ns = client!.messages.map((m) => (JSON.parse(m.payload) as { n: number }).n);
    expect(ns).toEqual(Array.from({ length: N }, (_, i) => i));
  });

  it('one that does not is bounded: every status is published, replaced by a newer one, or counted as dropped', async () => {
    const P = producer(N, { topics: 10 });
    await setup(P, `flow-flood-${process.pid}`);
    await waitFor(() => P.done, 'the producer', 30_000);
    await waitFor(() => gw!.handle.counters.published === client!.messages.length && gw!.handle.counters.published > 0, 'what was published', 30_000);
    const accounted = () => client!.messages.length + gw!.handle.counters.coalesced + gw!.handle.counters.dropped;
    await waitFor(() => accounted() >= N, 'every status accounted for', 30_000);
    const c = gw!.handle.counters;
    expect(client!.messages.length + c.coalesced + c.dropped).toBe(N);
    // The latest state of each topic always arrives.
    const last = new Map<string, number>();
    for (const m of client!.messages) last.set(m.topic, (JSON.parse(m.payload) as { n: number }).n);
    expect([...last.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => N - 10 + i));
  });
});
