import { EventEmitter } from 'node:events';
import type { GatewayInterface, InterfaceContext } from '../index.js';
import type { ExtensionContext, GatewayExtension, WriteOutcome } from '../extensions.js';
import { MessageList } from '../model/message-list.js';
import { stoppedAfterEach } from '../test-support/stopped-gateways.js';
import { LAMP, Lamp } from '../test-support/toy-extension.js';
import { Counters } from './counters.js';
import type { GatewayEvents } from './events.js';
import { GatewayStatus } from './gateway-view.js';

const testGateway = stoppedAfterEach();

/** An extension that hands its context to the test (what @mg/web does with it: read, listen, write). */
function probe(): { extension: GatewayExtension; ctx: () => ExtensionContext } {
  let context: ExtensionContext | undefined;
  const extension: GatewayExtension = {
    section: 'PROBE',
    options: {},
    description: 'Hands its context to the test.',
    create: (ctx) => {
      context = ctx;
      return {};
    },
  };
  return { extension, ctx: () => context! };
}

/** A lamp that never takes its commands: the incoming list fills, and a write waits for room. */
class DeafLamp implements GatewayInterface {
  static describe = () => [LAMP];
  constructor(readonly ctx: InterfaceContext) {}
  start(): void {}
}

describe('ctx.write(): a write through the checked path of a convention route', () => {
  it('reaches the interface as a command from the extension, and resolves ok', async () => {
    const p = probe();
    const gw = testGateway(Lamp, { extensions: [p.extension] });
    await gw.start();
    const state = gw.waitFor('test/+/+/Hall/Lamp/+/S', { action: 'POWER', level: 40 });
    const outcome = await p.ctx().write({ device: 'lamp', capability: 'level', value: 40 });
    expect(outcome).toEqual({ ok: true });
    await state;
    expect(Lamp.seen).toEqual(['C function= gateway= location=Hall device=Lamp sender=probe action=DIM {"level":40}']);
    expect(gw.counters.delivered).toBe(1);
  });

  it('refuses a value the capability does not take, or an unknown capability, with the reason: counted and emitted as refused', async () => {
    const p = probe();
    const gw = testGateway(Lamp, { extensions: [p.extension] });
    const refused: string[] = [];
    gw.gateway.on('refused', (r) => refused.push(`${r.direction} ${r.reason}: ${r.detail}`));
    await gw.start();
    const outcomes = [
      await p.ctx().write({ device: 'lamp', capability: 'level', value: 150 }),
      await p.ctx().write({ device: 'lamp', capability: 'level', value: 'bright' }),
      await p.ctx().write({ device: 'sofa', capability: 'power', value: true }),
    ];
    expect(outcomes).toEqual([
      { ok: false, reason: 'invalid-value', detail: 'level expects a number from 0 to 100, got 150 (write from [PROBE])' },
      { ok: false, reason: 'invalid-value', detail: expect.stringContaining('(write from [PROBE])') as string },
      { ok: false, reason: 'invalid-value', detail: 'no device capability sofa/power (write from [PROBE])' },
    ]);
    expect(refused).toEqual(outcomes.map((o) => (o.ok ? 'ok' : `incoming ${o.reason}: ${o.detail}`)));
    expect(gw.counters.rejected['invalid-value']).toBe(3);
    expect(gw.counters.delivered).toBe(0);
    expect(Lamp.seen).toEqual([]);
  });

  it('waits for room while the incoming list is full, and says "stopping" when the gateway stops before the interface took it', async () => {
    const p = probe();
    const gw = testGateway(DeafLamp, { extensions: [p.extension], mqtt: { incomingsize: 1 } });
    await gw.start();
    expect(await p.ctx().write({ device: 'lamp', capability: 'power', value: true })).toEqual({ ok: true });
    let second: WriteOutcome | undefined;
    const waiting = p
      .ctx()
      .write({ device: 'lamp', capability: 'power', value: false })
      .then((o) => (second = o));
    await new Promise(setImmediate); // every settled promise has run its callbacks
    expect(second).toBeUndefined();
    expect(p.ctx().gateway.lists()).toMatchObject({ incoming: 1, incomingLimit: 1 });
    await gw.stop();
    await waiting;
    expect(second).toEqual({ ok: false, reason: 'stopping', detail: expect.stringContaining('stopped') as string });
    expect(await p.ctx().write({ device: 'lamp', capability: 'power', value: true })).toMatchObject({ ok: false, reason: 'stopping' });
    expect(gw.counters.rejected['invalid-value']).toBe(0);
  });
});

describe('ctx.gateway: what an extension reads of its gateway', () => {
  it('gives the counters, the state, the connection and the list sizes', async () => {
    const p = probe();
    const gw = testGateway(Lamp, { extensions: [p.extension] });
    const view = p.ctx().gateway;
    expect(view.status()).toEqual({ state: 'starting', interfaceStarted: false });
    expect(view.connection()).toEqual({ connected: false, broker: '', brokers: [expect.objectContaining({ connected: false, connections: 0 })] });
    await gw.start();
    expect(view.status()).toEqual({ state: 'running', interfaceStarted: true });
    expect(view.counters()).toMatchObject({ connections: 1, delivered: 0 });
    expect(view.connection()).toMatchObject({ connected: true, broker: 'memory://test' });
    expect(view.connection().brokers.find((b) => b.url === 'memory://test')).toEqual({
      url: 'memory://test',
      connected: true,
      connections: 1,
      disconnections: 0,
    });
    expect(view.lists()).toEqual({ incoming: 0, incomingLimit: 10000, outbox: 0, outboxLimit: expect.any(Number) as number });
    await gw.stop();
    expect(view.status()).toEqual({ state: 'stopped', interfaceStarted: false });
  });

  it('tells its listeners the gateway events, and removes them when the extension stops', async () => {
    const p = probe();
    const gw = testGateway(Lamp, { extensions: [p.extension] });
    const before = gw.gateway.listenerCount('message-out');
    const heard: string[] = [];
    p.ctx().gateway.on('message-out', (_m, topic) => heard.push(topic));
    const off = p.ctx().gateway.on('refused', () => heard.push('refused'));
    off(); // removed by the extension itself: not called, and removing it again is harmless
    expect(gw.gateway.listenerCount('message-out')).toBe(before + 1);
    await gw.start();
    const state = gw.waitFor('test/+/+/Hall/Lamp/+/S', { action: 'POWER' });
    await p.ctx().write({ device: 'lamp', capability: 'power', value: true });
    await state;
    await gw.receive('toy/no/such/topic', 'x'); // refused by the map: the removed listener hears nothing
    expect(heard).toEqual(['test///Hall/Lamp/testgw/S']);
    await gw.stop();
    expect(gw.gateway.listenerCount('message-out')).toBe(before);
    expect(gw.gateway.listenerCount('refused')).toBe(0);
  });

  it("reports a listener that throws as the extension's error, and the gateway goes on", async () => {
    const p = probe();
    const gw = testGateway(Lamp, { extensions: [p.extension] });
    const errors: string[] = [];
    gw.gateway.on('extension-error', (e) => errors.push(`${e.extension} ${e.where}: ${(e.error as Error).message}`));
    p.ctx().gateway.on('started', () => {
      throw new Error('no page');
    });
    await gw.start();
    expect(errors).toEqual(['PROBE gateway "started" listener: no page']);
    expect(p.ctx().gateway.status().state).toBe('running');
  });
});

describe('per broker of [MQTT] host: connected, connections and disconnections', () => {
  function status(brokers: string[]) {
    const events = new EventEmitter<GatewayEvents>();
    const transport = { pending: 3 } as unknown as ConstructorParameters<typeof GatewayStatus>[0]['transport'];
    const view = new GatewayStatus({
      events,
      counters: new Counters(),
      brokers,
      incoming: new MessageList({ limit: 5 }),
      transport,
      outboxLimit: 7,
      status: () => ({ state: 'running', interfaceStarted: true }),
    });
    // What the gateway emits when its connection says so.
    return { view, connect: (url: string) => events.emit('connected', { url }), lose: () => events.emit('disconnected') };
  }

  it('flips with each connection and loss, and follows a failover to the next broker', () => {
    const s = status(['mqtt://a:1883', 'mqtt://b:1883']);
    const row = (connected: boolean, connections: number, disconnections: number) => ({ connected, connections, disconnections });
    const brokers = () => s.view.connection().brokers.map(({ url, ...rest }) => [url, rest]);
    expect(brokers()).toEqual([
      ['mqtt://a:1883', row(false, 0, 0)],
      ['mqtt://b:1883', row(false, 0, 0)],
    ]);
    s.connect('mqtt://a:1883');
    expect(s.view.connection()).toMatchObject({ connected: true, broker: 'mqtt://a:1883' });
    expect(brokers()).toEqual([
      ['mqtt://a:1883', row(true, 1, 0)],
      ['mqtt://b:1883', row(false, 0, 0)],
    ]);
    s.lose();
    expect(s.view.connection()).toMatchObject({ connected: false, broker: 'mqtt://a:1883' });
    expect(brokers()[0]).toEqual(['mqtt://a:1883', row(false, 1, 1)]);
    s.connect('mqtt://b:1883');
    s.lose();
    s.connect('mqtt://b:1883');
    expect(brokers()).toEqual([
      ['mqtt://a:1883', row(false, 1, 1)],
      ['mqtt://b:1883', row(true, 2, 1)],
    ]);
    expect(s.view.lists()).toEqual({ incoming: 0, incomingLimit: 5, outbox: 3, outboxLimit: 7 });
  });

  it('gives a snapshot: changing what it returned changes nothing', () => {
    const s = status(['mqtt://a:1883']);
    s.view.connection().brokers[0]!.connected = true;
    expect(s.view.connection().brokers[0]!.connected).toBe(false);
  });
});
