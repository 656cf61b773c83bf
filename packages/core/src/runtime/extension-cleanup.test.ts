import { EventEmitter } from 'node:events';
import { createAppProperties, memoryLogging } from '@mg/app-properties';
import { MemoryTransport } from '../testing/memory-transport.js';
import { LAMP, Lamp } from '../test-support/toy-extension.js';
import { InternalMessage } from '../model/message.js';
import { Counters } from './counters.js';
import { DeviceAvailability } from './device-availability.js';
import { DeviceRegistry } from './devices.js';
import type { GatewayEvents } from './events.js';
import { GatewayStatus } from './gateway-view.js';
import { MessageList } from '../model/message-list.js';
import type { ExtensionContext, GatewayExtension } from './extension.js';
import { ExtensionHost } from './extension-host.js';
import { loadSetup } from './setup.js';

/** An extension that hands its context to the test, which registers what it tests through it. */
function probe(use: (ctx: ExtensionContext) => void): GatewayExtension {
  return { section: 'PROBE', options: {}, description: 'Registers what the test asks.', create: (ctx) => ({ start: () => use(ctx) }) };
}

/** One extension host, as a gateway builds it, with the parts a test drives by hand: connections, devices, messages. */
function host(extension: GatewayExtension) {
  const app = createAppProperties({ name: 'testgw' });
  const setup = loadSetup(Lamp, {
    app,
    files: [],
    configFile: '',
    values: { MQTT: { root: 'test', topics: 'test/#' } },
    valuesSource: 'test',
    extensions: [extension],
  });
  const transport = new MemoryTransport({ logger: memoryLogging('testgw').logger('mqtt'), counters: new Counters(), onMessage: (_p, ack) => ack() }, undefined);
  const devices = new DeviceRegistry('Lamp');
  const availability = new DeviceAvailability({ devices });
  const failures: string[] = [];
  const refused: string[] = [];
  const events = new EventEmitter<GatewayEvents>();
  const incoming = new MessageList();
  const counters = new Counters();
  const status = { state: 'running' as const, interfaceStarted: true };
  const gateway = new GatewayStatus({ events, counters, brokers: [], incoming, transport, outboxLimit: 10, status: () => status });
  const extensions = new ExtensionHost([extension], {
    setup,
    logging: memoryLogging('testgw'),
    transport,
    devices,
    availability,
    signal: new AbortController().signal,
    failed: (ext, where, err) => failures.push(`${ext} ${where}: ${(err as Error).message}`),
    refused: (detail) => refused.push(detail),
    gateway,
    events,
    // As the gateway's flow does with room in the list: in at once, and told.
    deliver: (msg) => {
      incoming.push(msg);
      events.emit('message-in', msg, '');
      return true;
    },
  });
  /** A message from the broker, as the gateway hands it over: to the route whose filter matches, if any. */
  const receive = (topic: string, payload: string): 'routed' | 'not routed' => {
    const route = extensions.routes.find(topic);
    if (!route) return 'not routed';
    extensions.command(route, { topic, payload: Buffer.from(payload), qos: 0 });
    return 'routed';
  };
  const statusMessage = () => new InternalMessage({ location: 'Hall', device: 'Lamp', action: 'POWER', arguments: { state: 'on', level: 40 } });
  return { extensions, transport, devices, failures, refused, receive, observe: () => devices.observe(statusMessage()), events, incoming };
}

describe('the extension host undoes what an extension registered when the gateway stops', () => {
  it('its onConnected, devices.onChange and devices.onState listeners are not called after stop', async () => {
    const heard: string[] = [];
    const h = host(
      probe((ctx) => {
        ctx.onConnected(() => heard.push('connected'));
        ctx.devices.onChange(() => heard.push('change'));
        ctx.devices.onState((_d, c) => heard.push(`state ${c.id}`));
      }),
    );
    h.devices.set([LAMP]);
    await h.extensions.start();
    h.extensions.connected();
    h.devices.set([LAMP]);
    h.observe();
    expect(heard).toEqual(['connected', 'change', 'state power', 'state level']);
    await h.extensions.stop();
    h.extensions.connected();
    h.devices.set([LAMP]);
    h.observe();
    expect(heard).toHaveLength(4);
  });

  it('its routes hand it nothing after stop, and their topics still do not go to the map', async () => {
    const routed: string[] = [];
    const h = host(probe((ctx) => ctx.route('probe/#', (topic) => void routed.push(topic))));
    await h.extensions.start();
    expect(h.receive('probe/a', 'x')).toBe('routed');
    await h.extensions.stop();
    expect(h.receive('probe/b', 'x')).toBe('routed');
    expect(routed).toEqual(['probe/a']);
    expect(h.failures).toEqual([]);
  });

  it('a subscription asked for after stop (an extension still starting) is not passed to the connection', async () => {
    let ctx!: ExtensionContext;
    const h = host(probe((c) => (ctx = c)));
    await h.extensions.start();
    ctx.subscribe('probe/a');
    await h.extensions.stop();
    ctx.subscribe('probe/b');
    const late = ctx.devices.onState(() => undefined);
    late(); // removing a listener the host already removed is harmless
    expect(h.transport.subscriptions).toEqual(['probe/a']);
  });

  it('a listener the extension removed itself stays removed, and is not called', async () => {
    const heard: string[] = [];
    const h = host(
      probe((ctx) => {
        const off = ctx.onConnected(() => heard.push('connected'));
        off();
      }),
    );
    await h.extensions.start();
    h.extensions.connected();
    await h.extensions.stop();
    expect(heard).toEqual([]);
  });
});

describe('ctx.retained: what the broker holds on a filter, handed over after a settle window once the devices are declared', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A host whose extension asks for the retained messages on `probe/+/config` and records each hand-over. */
  function retained(settleMs = 1000) {
    const handed: Record<string, string>[] = [];
    const h = host(
      probe((ctx) =>
        ctx.retained('probe/+/config', { settleMs }, (messages) => handed.push(Object.fromEntries([...messages].map(([t, p]) => [t, p.toString()])))),
      ),
    );
    return { ...h, handed };
  }

  it('subscribes and routes the filter, and hands over what came in the window after the connection, an empty payload removing its topic', async () => {
    const h = retained();
    h.devices.set([LAMP]);
    await h.extensions.start();
    expect(h.transport.subscriptions).toEqual(['probe/+/config']);
    h.extensions.connected();
    h.receive('probe/a/config', 'A');
    h.receive('probe/b/config', 'B');
    h.receive('probe/b/config', '');
    h.receive('probe/c/config', 'C');
    jest.advanceTimersByTime(999);
    expect(h.handed).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(h.handed).toEqual([{ 'probe/a/config': 'A', 'probe/c/config': 'C' }]);
    // After the hand-over, what arrives is dropped (the extension knows what it publishes itself).
    expect(h.receive('probe/d/config', 'D')).toBe('routed');
    jest.advanceTimersByTime(5000);
    expect(h.handed).toHaveLength(1);
    await h.extensions.stop();
  });

  it('waits for an interface that declares its devices after a scan, then hands over at once', async () => {
    const h = retained();
    await h.extensions.start();
    h.extensions.connected();
    h.receive('probe/a/config', 'A');
    jest.advanceTimersByTime(1000);
    expect(h.handed).toEqual([]);
    h.devices.set([LAMP]);
    expect(h.handed).toEqual([{ 'probe/a/config': 'A' }]);
    h.devices.set([]); // declared again: nothing more to hand over
    expect(h.handed).toHaveLength(1);
    await h.extensions.stop();
  });

  it('starts again on each connection: a window cut short by a reconnection hands over only the new one', async () => {
    const h = retained();
    h.devices.set([LAMP]);
    await h.extensions.start();
    h.extensions.connected();
    h.receive('probe/a/config', 'A');
    jest.advanceTimersByTime(500);
    h.extensions.connected();
    h.receive('probe/b/config', 'B');
    jest.advanceTimersByTime(1000);
    h.extensions.connected();
    jest.advanceTimersByTime(1000);
    expect(h.handed).toEqual([{ 'probe/b/config': 'B' }, {}]);
    await h.extensions.stop();
  });

  it('hands nothing over once the gateway has stopped: not when the window ends, not when the devices are declared', async () => {
    const h = retained();
    await h.extensions.start();
    h.extensions.connected();
    jest.advanceTimersByTime(1000); // waiting for the devices
    h.extensions.connected();
    await h.extensions.stop();
    jest.advanceTimersByTime(5000);
    h.devices.set([LAMP]);
    expect(h.handed).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it("reports a hand-over that throws as the extension's error, and goes on with the next connection", async () => {
    let calls = 0;
    const h = host(
      probe((ctx) =>
        ctx.retained('probe/#', { settleMs: 10 }, () => {
          calls += 1;
          throw new Error('cannot read');
        }),
      ),
    );
    h.devices.set([]);
    await h.extensions.start();
    h.extensions.connected();
    jest.advanceTimersByTime(10);
    h.extensions.connected();
    jest.advanceTimersByTime(10);
    expect(calls).toBe(2);
    expect(h.failures).toEqual(['PROBE retained messages on "probe/#": cannot read', 'PROBE retained messages on "probe/#": cannot read']);
    await h.extensions.stop();
  });
});
