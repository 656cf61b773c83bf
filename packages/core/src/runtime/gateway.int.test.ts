import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, uniqueRoot, waitFor, type TestClient } from '@mg/test-helpers';
import { memoryLogging } from '../testing/index.js';
import { dummyMapWithRoot } from '../test-support/fixtures.js';
import { createGateway, InternalMessage, type GatewayInterface, type InterfaceContext } from '../index.js';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';
import { EventEcho, PollingEcho } from '../test-support/interfaces.js';

// The dummy map under a root of this run's own: the shared broker may carry other tests' traffic.
const ROOT = uniqueRoot();
const MAP = dummyMapWithRoot(ROOT);
const lines = (extra: Record<string, string | number>) => mqttLines(SHARED_BROKER_URL, { mapfilename: MAP, ...extra });
let client: TestClient;
let gw: Harness | undefined;

/**
 * Resolves once the gateway `id`'s subscriptions are in place: it subscribes before it publishes
 * its availability on the same connection, and the broker handles one client's packets in order.
 */
async function subscribed(id: string): Promise<void> {
  await client.subscribe(`${ROOT}/${id}/availability`);
  await client.waitFor((m) => m.topic === `${ROOT}/${id}/availability` && m.payload === 'online', `${id} online`);
}

beforeEach(async () => {
  client = await connectClient(SHARED_BROKER_URL);
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await client.end();
});

describe.each([
  ['polling', PollingEcho],
  ['event-driven', EventEcho],
])('%s mode against the shared broker', (_mode, Echo) => {
  it('translates a command for the interface and publishes its reply', async () => {
    const id = `gw-${_mode}-${process.pid}`;
    gw = await runGateway(Echo, lines({ clientid: id }));
    await client.subscribe(`${ROOT}/+/+/+/+/+/S`);
    await client.subscribe(`${ROOT}/${id}/availability`);
    await client.waitFor((m) => m.topic === `${ROOT}/${id}/availability` && m.payload === 'online', 'online');
    await client.publish(`${ROOT}/audiovideo/dummy/office/amp/tester/C`, '{"action":"mute_toggle","level":3}');
    const reply = await client.waitFor((m) => m.topic === `${ROOT}/audiovideo/dummy/office/amp/dummy2mqtt/S`, 'the reply');
    expect(JSON.parse(reply.payload)).toEqual({ action: 'mute_toggle', response: 'OK', reason: 'done MUTE_TGL' });
    expect(Echo.seen[0]).toMatchObject({
      isCmd: true,
      function: 'AudioVideo',
      gateway: 'Dummy',
      location: 'Office',
      device: 'amp',
      sender: 'tester',
      action: 'MUTE_TGL',
    });
    expect(Echo.seen[0]!.arguments.level).toBe(3);
    // The map's filters, and the poll topic, which they do not take in.
    expect(gw.subscriptions.flatMap((s) => s.filters)).toEqual([`${ROOT}/+/dummy/+/+/+/C`, `${ROOT}/dummyfunction/+/+/+/+/C`, `${ROOT}/${id}/poll`]);
  });
});

describe('gateway behaviour', () => {
  it('does not feed its own messages back to the interface (echo suppression)', async () => {
    class Announcer implements GatewayInterface {
      static seen: InternalMessage[] = [];
      constructor(private readonly ctx: InterfaceContext) {
        Announcer.seen = [];
      }
      start(): void {
        // Published on <root>/dummyfunction//office//dummy2mqtt/C: inside our own subscription.
        this.ctx.outgoing.push(new InternalMessage({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON' }));
        void (async () => {
          for await (const m of this.ctx.incoming.until(this.ctx.signal)) Announcer.seen.push(m);
        })();
      }
    }
    await client.subscribe(`${ROOT}/dummyfunction/#`);
    gw = await runGateway(Announcer, lines({ clientid: `gw-echo-${process.pid}` }));
    await client.waitFor((m) => m.topic === `${ROOT}/dummyfunction//office//dummy2mqtt/C` && m.payload === 'mute_on', 'the announcement');
    await waitFor(() => gw!.handle.counters.rejected.echo >= 1, 'the echo to come back');
    expect(Announcer.seen).toEqual([]);
    // Someone else's command on the same topic shape does reach it.
    await client.publish(`${ROOT}/dummyfunction//office//someone/C`, 'mute_on');
    await waitFor(() => Announcer.seen.length === 1, 'the other sender');
    expect(Announcer.seen[0]).toMatchObject({ sender: 'someone', action: 'MUTE_ON' });
  });

  it('rejects malformed messages with a logged reason and keeps going', async () => {
    gw = await runGateway(PollingEcho, lines({ clientid: `gw-bad-${process.pid}` }));
    await client.subscribe(`${ROOT}/+/+/+/+/+/S`);
    await subscribed(`gw-bad-${process.pid}`);
    const bad: [string, string | Buffer][] = [
      [`${ROOT}/lighting/dummy/office/lamp/t/X`, 'light_on'],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, ''],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, Buffer.from([0xff, 0xfe])],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, '{"action": '],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, '{"level": 1}'],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, 'self_destruct'],
      [`${ROOT}/lighting/dummy/office/lamp/t/C`, '{"action":"light_on","__proto__":{"x":1}}'],
    ];
    const refused: string[] = [];
    gw.handle.gateway.on('refused', (r) => refused.push(`${r.direction} ${r.reason}: ${r.detail}`));
    for (const [topic, payload] of bad) await client.publish(topic, payload);
    await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on');
    await client.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/office/lamp/dummy2mqtt/S`, 'the reply to the good message');
    await waitFor(() => gw!.handle.counters.received >= 7, 'all messages');
    const r = gw.handle.counters.rejected;
    expect([r['payload-empty'], r['payload-encoding'], r['payload-json'], r['payload-no-action'], r['strict-miss']]).toEqual([1, 1, 1, 1, 1]);
    // X is not a type the subscription matches, so the broker never delivered it.
    expect(PollingEcho.seen.map((m) => m.action)).toEqual(['LIGHT_ON', 'LIGHT_ON']);
    expect(Object.keys(PollingEcho.seen[0]!.arguments)).toEqual(['__proto__']);
    expect(refused).toContain('incoming payload-encoding: payload of 2 bytes is not valid UTF-8');
  });

  it('logs an exception thrown by loop() and keeps running', async () => {
    class Flaky extends PollingEcho {
      private turns = 0;
      override loop(): void {
        this.turns += 1;
        if (this.turns % 2 === 1) throw new Error('serial port hiccup');
        super.loop();
      }
    }
    gw = await runGateway(Flaky, lines({ clientid: `gw-flaky-${process.pid}` }));
    const errors: string[] = [];
    gw.handle.gateway.on('interface-error', ({ where, error }) => errors.push(`${where}: ${(error as Error).message}`));
    await client.subscribe(`${ROOT}/+/+/+/+/+/S`);
    await subscribed(`gw-flaky-${process.pid}`);
    await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on');
    await client.waitFor((m) => m.topic.endsWith('/dummy2mqtt/S'), 'a reply despite the exceptions');
    expect(gw.handle.counters.interfaceErrors).toBeGreaterThan(1);
    expect(errors[0]).toBe('loop(): serial port hiccup');
    // Throttled: many exceptions, one line (the first); the next report comes after the lag.
    expect(gw.errors().match(/serial port hiccup/g)).toHaveLength(1);
  });

  it('publishes retained availability and the counters, and says offline on stop', async () => {
    const id = `gw-avail-${process.pid}`;
    gw = await runGateway(PollingEcho, lines({ clientid: id, statsinterval: 1 }));
    await client.subscribe(`${ROOT}/${id}/#`);
    await client.waitFor((m) => m.topic === `${ROOT}/${id}/availability` && m.payload === 'online', 'online');
    const stats = await client.waitFor((m) => m.topic === `${ROOT}/${id}/stats`, 'the counters');
    expect(JSON.parse(stats.payload)).toMatchObject({ connections: 1, rejected: { echo: 0 } });
    await gw.stop();
    gw = undefined;
    await client.waitFor((m) => m.topic === `${ROOT}/${id}/availability` && m.payload === 'offline', 'offline');
    const late = await connectClient(SHARED_BROKER_URL);
    await late.subscribe(`${ROOT}/${id}/availability`);
    const retained = await late.waitFor(() => true, 'the retained availability');
    expect(retained).toMatchObject({ payload: 'offline', retain: true });
    await late.client.publishAsync(`${ROOT}/${id}/availability`, '', { retain: true });
    await late.end();
  });

  it('carries MQTT 5 correlation data from a command to its reply', async () => {
    const v5 = await connectClient(SHARED_BROKER_URL, { protocolVersion: 5 });
    try {
      gw = await runGateway(EventEcho, lines({ clientid: `gw-v5-${process.pid}`, version: 5 }));
      await v5.subscribe(`${ROOT}/+/+/+/+/+/S`);
      await subscribed(`gw-v5-${process.pid}`);
      await v5.publish(`${ROOT}/lighting/dummy/kitchen/lamp/app/C`, 'light_on', { properties: { correlationData: Buffer.from('req-42') } });
      const reply = await v5.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/kitchen/lamp/dummy2mqtt/S`, 'the reply');
      expect(String(reply.properties?.correlationData)).toBe('req-42');
      expect(JSON.parse(reply.payload)).toMatchObject({ action: 'light_on', response: 'OK', correlation: 'req-42' });
    } finally {
      await v5.end();
    }
  });

  it('a rejected start() stops the gateway before it connects, with one CRITICAL line; stop() errors are contained (log wording)', async () => {
    class Broken implements GatewayInterface {
      constructor(readonly ctx: InterfaceContext) {}
      async start(): Promise<void> {
        throw new Error('bus adapter not found');
      }
      stop(): void {
        throw new Error('cannot close the bus');
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'mg-broken-'));
    const conf = join(dir, 'broken.conf');
    writeFileSync(conf, `${lines({ clientid: `gw-broken-${process.pid}` }).join('\n')}\n`);
    const logging = memoryLogging('broken');
    const gateway = createGateway(Broken, { appName: 'broken', configFile: conf, logging });
    const errors: string[] = [];
    gateway.on('interface-error', ({ where }) => errors.push(where));
    const stopped = new Promise((resolve) => gateway.once('stopped', resolve));
    await expect(gateway.start()).rejects.toMatchObject({ code: 'INTERFACE_START_FAILED', message: 'interface Broken could not start: bus adapter not found' });
    await stopped;
    // The device could not open: the gateway never connected, and said why once, CRITICAL.
    expect(errors).toEqual(['start()', 'stop()']);
    expect(gateway.counters).toMatchObject({ connections: 0, interfaceErrors: 2 });
    expect(logging.records.filter((r) => r.startsWith('CRITICAL'))).toEqual([
      'CRITICAL broken.core: interface start() threw: bus adapter not found; the gateway cannot start',
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes statuses retained when [MQTT] retain is on, never commands', async () => {
    class Reporter implements GatewayInterface {
      constructor(readonly ctx: InterfaceContext) {}
      start(): void {
        this.ctx.outgoing.push(new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device: 'lamp', action: 'LIGHT_ON' }));
        this.ctx.outgoing.push(
          new InternalMessage({ isCmd: true, function: 'Lighting', gateway: 'Dummy', location: 'Office', device: 'lamp2', action: 'LIGHT_ON' }),
        );
      }
    }
    const id = `gw-retain-${process.pid}`;
    gw = await runGateway(Reporter, lines({ clientid: id, retain: 'on', pubqos: 1 }));
    await waitFor(() => gw!.handle.counters.published >= 2, 'the two messages');
    const late = await connectClient(SHARED_BROKER_URL);
    try {
      await late.subscribe(`${ROOT}/lighting/#`);
      const status = await late.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/office/lamp/dummy2mqtt/S`, 'the retained status');
      expect(status).toMatchObject({ payload: 'light_on', retain: true });
      await late.flush(); // every retained message of the subscription is in
      expect(late.messages.filter((m) => m.topic.endsWith('/C'))).toEqual([]);
      await late.client.publishAsync(status.topic, '', { retain: true });
    } finally {
      await late.end();
    }
  });

  it('with incomingoverflow dropoldest, keeps reading when the interface stops pulling, and counts the drops', async () => {
    class Deaf implements GatewayInterface {
      loop(): void {} // never pulls
    }
    gw = await runGateway(Deaf, lines({ clientid: `gw-deaf-${process.pid}`, incomingsize: 5, incomingoverflow: 'dropoldest' }));
    await subscribed(`gw-deaf-${process.pid}`);
    for (let i = 0; i < 12; i++) await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on');
    await waitFor(() => gw!.handle.counters.received === 12, 'all commands');
    expect(gw.handle.counters.incomingDropped).toBe(7);
    expect(gw.handle.counters.incomingPauses).toBe(0);
  });

  it('with replyrefused on, answers a command the strict map refuses with an ERROR status, correlation kept', async () => {
    gw = await runGateway(PollingEcho, lines({ clientid: `gw-refused-${process.pid}`, replyrefused: 'on' }));
    await client.subscribe(`${ROOT}/lighting/dummy/office/lamp/+/S`);
    await subscribed(`gw-refused-${process.pid}`);
    await client.publish(`${ROOT}/lighting/dummy/office/lamp/me/C`, '{"action":"self_destruct","correlation":"req-1"}');
    const reply = await client.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/office/lamp/dummy2mqtt/S` && !m.retain, 'the ERROR reply');
    expect(JSON.parse(reply.payload)).toEqual({
      action: 'self_destruct',
      response: 'ERROR',
      reason: 'action "self_destruct" is not in the strict map',
      correlation: 'req-1',
    });
    expect(PollingEcho.seen).toEqual([]);
  });

  it('ignores its own availability and counters when a wide subscription brings them back', async () => {
    const id = `gw-wide-${process.pid}`;
    const root = uniqueRoot(); // a root of its own: other tests leave retained availability under ROOT
    gw = await runGateway(PollingEcho, [
      ...lines({ clientid: id, statsinterval: 1 }).filter((l) => !/^mapping|^mapfilename/.test(l)),
      'mapping: off',
      `root: ${root}`,
      `topics: ${root}/#`,
    ]);
    await client.subscribe(`${root}/${id}/stats`);
    // The gateway gets its first counters back through root/# when this client does; the second
    // ones are published a second later, when it has long handled the first.
    await client.waitFor((m) => m.topic === `${root}/${id}/stats`, 'the counters');
    client.messages.length = 0;
    await client.waitFor((m) => m.topic === `${root}/${id}/stats`, 'the counters again');
    expect(gw.handle.counters.rejected['topic-levels']).toBe(0);
    expect(Object.values(gw.handle.counters.rejected).every((n) => n === 0)).toBe(true);
  });
});
