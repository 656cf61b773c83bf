import { EventEmitter } from 'node:events';
import { ConfigError } from '@mg/config';
import type { DeviceInput, InterfaceContext } from '../index.js';
import type { GatewayExtension } from '../extensions.js';
import { createTestContext, createTestGateway } from '../testing/index.js';
import { stoppedAfterEach } from '../test-support/stopped-gateways.js';
import { LAMP, Lamp } from '../test-support/toy-extension.js';

const SOFA: DeviceInput = { ...LAMP, id: 'sofa', name: 'Sofa lamp', address: { location: 'Living', device: 'Lamp' } };

/** The lamp, and its context for the test to speak for it. */
class Watched extends Lamp {
  static override describe = (): DeviceInput[] => [LAMP, SOFA];
  static ctx: InterfaceContext;
  constructor(ctx: InterfaceContext) {
    super(ctx);
    Watched.ctx = ctx;
  }
}

/** A connection as @mg/device-io's transports are: a `state` and `state` events. */
class Link extends EventEmitter {
  constructor(public state = 'connecting') {
    super();
  }
  go(state: string, reason?: string): void {
    this.state = state;
    this.emit('state', reason === undefined ? { state } : { state, reason });
  }
}

const gateway = stoppedAfterEach();

const lines = (gw: { published: readonly { topic: string; payload: string }[] }) => gw.published.map((m) => `${m.topic} ${m.payload}`);

describe('per-device availability', () => {
  it('publishes every declared device online (retained, at pubqos) after the gateway itself, and offline before it at stop', async () => {
    const gw = gateway(Watched, { mqtt: { pubqos: 1 } });
    await gw.start();
    expect(gw.published.slice(0, 3)).toEqual([
      { topic: 'test/testgw/availability', payload: 'online', qos: 1, retain: true },
      { topic: 'test/testgw/lamp/availability', payload: 'online', qos: 1, retain: true },
      { topic: 'test/testgw/sofa/availability', payload: 'online', qos: 1, retain: true },
    ]);
    expect(gw.available('lamp')).toBe(true);
    Watched.ctx.devices.setAvailable('sofa', false, 'no answer');
    await gw.stop();
    // the sofa was offline already: not said twice
    expect(lines(gw).slice(3)).toEqual(['test/testgw/sofa/availability offline', 'test/testgw/lamp/availability offline', 'test/testgw/availability offline']);
    expect(gw.counters).toMatchObject({ devicesOffline: 2, availabilityChanges: 2, published: 0 });
  });

  it('publishes a change once, counts it, tells it as an event and logs it', async () => {
    const gw = gateway(Watched);
    const events: unknown[] = [];
    gw.gateway.on('device-availability', (e) => events.push(e));
    await gw.start();
    Watched.ctx.devices.setAvailable('lamp', false, 'no answer to PW?');
    Watched.ctx.devices.setAvailable('lamp', false, 'still no answer');
    expect(gw.available('lamp')).toBe(false);
    expect(gw.counters).toMatchObject({ devicesOffline: 1, availabilityChanges: 1 });
    Watched.ctx.devices.setAvailable('lamp', true);
    expect(gw.counters).toMatchObject({ devicesOffline: 0, availabilityChanges: 2 });
    const lamp = gw.published.filter((m) => m.topic === 'test/testgw/lamp/availability');
    expect(lamp.map((m) => `${m.payload} ${m.retain}`)).toEqual(['online true', 'offline true', 'online true']);
    expect(events).toEqual([
      { device: 'lamp', available: false, reason: 'no answer to PW?' },
      { device: 'lamp', available: true },
    ]);
    expect(gw.logs).toContain('WARN testgw.core: device "lamp" is not available: no answer to PW?');
    await gw.stop();
  });

  it('keeps what the interface says before the gateway connects, and publishes it on connection', async () => {
    class OffAtStart extends Watched {
      start(): void {
        Watched.ctx.devices.setAvailable('lamp', false, 'port closed');
      }
    }
    const gw = gateway(OffAtStart);
    await gw.start();
    expect(lines(gw).slice(0, 3)).toEqual(['test/testgw/availability online', 'test/testgw/lamp/availability offline', 'test/testgw/sofa/availability online']);
    await gw.stop();
  });

  it('refuses an id no declared device has, naming it', async () => {
    const gw = gateway(Watched);
    await gw.start();
    expect(() => Watched.ctx.devices.setAvailable('garage', false)).toThrow(
      expect.objectContaining({ code: 'DEVICE_UNKNOWN', message: expect.stringContaining('ctx.devices.setAvailable("garage"): no declared device') }),
    );
    expect(() => Watched.ctx.devices.follow('garage', new Link())).toThrow(expect.objectContaining({ code: 'DEVICE_UNKNOWN' }));
    await gw.stop();
  });

  it('follows a connection: available while it is connected, with its reason when not; untied on request and at stop', async () => {
    const gw = gateway(Watched);
    await gw.start();
    const link = new Link();
    const untie = Watched.ctx.devices.follow('lamp', link);
    expect(gw.available('lamp')).toBe(false); // connecting
    link.go('connected');
    expect(gw.available('lamp')).toBe(true);
    link.go('disconnected', 'ECONNREFUSED');
    link.go('connecting');
    expect(gw.available('lamp')).toBe(false);
    link.go('connected');
    untie();
    link.go('disconnected', 'after untie');
    expect(gw.available('lamp')).toBe(true);
    const other = new Link('connected');
    Watched.ctx.devices.follow('sofa', other);
    expect(other.listenerCount('state')).toBe(1);
    await gw.stop();
    expect(other.listenerCount('state')).toBe(0);
    const lamp = gw.published.filter((m) => m.topic === 'test/testgw/lamp/availability').map((m) => m.payload);
    expect(lamp).toEqual(['online', 'offline', 'online', 'offline', 'online', 'offline']);
    expect(gw.logs).toContain('WARN testgw.core: device "lamp" is not available: ECONNREFUSED');
  });

  it('clears the topic of a device the interface no longer declares, and publishes a new one online', async () => {
    const gw = gateway(Watched);
    await gw.start();
    Watched.ctx.devices.setAvailable('sofa', false);
    Watched.ctx.devices.set([LAMP, { ...SOFA, id: 'desk' }]);
    expect(lines(gw).slice(-2)).toEqual(['test/testgw/sofa/availability ', 'test/testgw/desk/availability online']);
    expect(gw.published.at(-2)!.retain).toBe(true);
    expect(gw.available('sofa')).toBeUndefined();
    expect(gw.counters.devicesOffline).toBe(0);
    await gw.stop();
  });

  it('does not take its availability topics back as commands on a wide subscription', async () => {
    const gw = gateway(Watched);
    const refused: string[] = [];
    gw.gateway.on('refused', (r) => refused.push(r.reason));
    await gw.start();
    Watched.ctx.devices.set([LAMP]);
    await gw.receive('test/testgw/lamp/availability', 'online', { retain: true });
    await gw.receive('test/testgw/sofa/availability', ''); // the cleared one
    await gw.stop();
    expect(refused).toEqual([]);
    expect(gw.counters.received).toBe(0);
  });

  it('keeps the availability but publishes nothing with [MQTT] deviceavailabilitytopic blank', async () => {
    const gw = gateway(Watched, { mqtt: { deviceavailabilitytopic: '' } });
    await gw.start();
    Watched.ctx.devices.setAvailable('lamp', false);
    expect(gw.available('lamp')).toBe(false);
    await gw.stop();
    expect(lines(gw)).toEqual(['test/testgw/availability online', 'test/testgw/availability offline']);
  });

  it('fills {root}, {app}, {clientid} and {device} in the topic', async () => {
    const gw = gateway(Watched, { mqtt: { clientid: 'hall', deviceavailabilitytopic: 'status/{app}/{clientid}/{device}' } });
    await gw.start();
    await gw.stop();
    expect(lines(gw)).toContain('status/testgw/hall/lamp online');
  });

  it.each([
    ['{root}/{clientid}/availability', 'must contain {device}'],
    ['{root}/+/{device}', 'a topic to publish to has no wildcard'],
  ])('refuses the topic "%s", saying why', (topic, why) => {
    expect(() => createTestGateway(Watched, { mqtt: { deviceavailabilitytopic: topic } })).toThrow(ConfigError);
    expect(() => createTestGateway(Watched, { mqtt: { deviceavailabilitytopic: topic } })).toThrow(`[MQTT] deviceavailabilitytopic = "${topic}": ${why}`);
  });
});

describe("an extension's view of the availability", () => {
  const seen: string[] = [];
  const watcher: GatewayExtension = {
    section: 'WATCH',
    options: {},
    description: 'Hears availability.',
    create: (ctx) => ({
      start: () => {
        seen.push(`topic ${ctx.deviceAvailability('lamp')?.topic} ${ctx.deviceAvailability('lamp')?.offline}`);
        seen.push(`lamp ${ctx.devices.available('lamp')}, garage ${ctx.devices.available('garage')}`);
        ctx.devices.onAvailability((d, available) => seen.push(`${d.id} ${available}`));
        ctx.devices.onAvailability(() => {
          throw new Error('boom');
        });
      },
    }),
  };

  it('reads it, hears every change (at stop too) until it is stopped, and a listener that throws is its own error', async () => {
    seen.length = 0;
    const gw = gateway(Watched, { extensions: [watcher] });
    await gw.start();
    Watched.ctx.devices.setAvailable('lamp', false);
    Watched.ctx.devices.setAvailable('lamp', true);
    await gw.stop();
    expect(seen).toEqual(['topic test/testgw/lamp/availability offline', 'lamp true, garage undefined', 'lamp false', 'lamp true', 'lamp false', 'sofa false']);
    expect(gw.counters.extensionErrors).toBe(4);
  });

  it('has no device topic when the option is blank', async () => {
    seen.length = 0;
    const gw = gateway(Watched, { extensions: [watcher], mqtt: { deviceavailabilitytopic: '' } });
    await gw.start();
    await gw.stop();
    expect(seen[0]).toBe('topic undefined undefined');
  });
});

it('the test context keeps what the interface says', () => {
  const t = createTestContext(Watched);
  const link = new Link('connected');
  t.context.devices.follow('lamp', link);
  expect(t.available('lamp')).toBe(true);
  link.go('disconnected', 'unplugged');
  expect(t.available('lamp')).toBe(false);
  expect(t.available('garage')).toBeUndefined();
});
