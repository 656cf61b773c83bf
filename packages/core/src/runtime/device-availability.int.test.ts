// Per-device availability on a real broker: retained per device, after the gateway's own
// `online`, and `offline` for every device before the gateway's own at stop.
import { EventEmitter } from 'node:events';
import { connectClient, retainedUnder, SHARED_BROKER_URL, sweepRetained, uniqueRoot, waitFor } from '@mg/test-helpers';
import { createGateway, type DeviceInput, type InterfaceContext } from '../index.js';
import { memoryLogging } from '../testing/index.js';
import { LAMP, Lamp } from '../test-support/toy-extension.js';

class Watched extends Lamp {
  static override describe = (): DeviceInput[] => [LAMP, { ...LAMP, id: 'sofa', name: 'Sofa lamp', address: { location: 'Living', device: 'Lamp' } }];
  static ctx: InterfaceContext;
  constructor(ctx: InterfaceContext) {
    super(ctx);
    Watched.ctx = ctx;
  }
}

it('publishes each device online after the gateway, its changes retained, and every device offline before the gateway at stop', async () => {
  const root = uniqueRoot('devavail');
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const gateway = createGateway(Watched, {
    appName: 'avail2mqtt',
    // A wide subscription: the gateway gets its own availability topics back.
    config: { MQTT: { host: hostname, port: Number(port || 1883), root, topics: `${root}/#`, pubqos: 1, statsinterval: 0 } },
    logging: memoryLogging('avail2mqtt'),
  });
  const client = await connectClient(SHARED_BROKER_URL);
  const at = (topic: string, payload: string) => client.messages.findIndex((m) => m.topic === `${root}/avail2mqtt/${topic}` && m.payload === payload);
  try {
    await client.subscribe(`${root}/#`, 1);
    await gateway.start();
    await client.waitFor((m) => m.topic === `${root}/avail2mqtt/sofa/availability`, 'the sofa online');
    expect(at('availability', 'online')).toBeLessThan(at('lamp/availability', 'online'));
    expect(client.messages.find((m) => m.topic === `${root}/avail2mqtt/lamp/availability`)).toMatchObject({ payload: 'online' });

    // The lamp's link, as a device-io transport would report it.
    const link = Object.assign(new EventEmitter(), { state: 'connected' });
    Watched.ctx.devices.follow('lamp', link);
    link.state = 'disconnected';
    link.emit('state', { state: 'disconnected', reason: 'unplugged' });
    await client.waitFor((m) => m.topic === `${root}/avail2mqtt/lamp/availability` && m.payload === 'offline', 'the lamp offline');
    // A late subscriber gets what the broker keeps: the lamp offline, the sofa online.
    const kept = await retainedUnder(`${root}/avail2mqtt/+/availability`);
    expect(kept.map((m) => `${m.topic.split('/').at(-2)} ${m.payload}`).sort()).toEqual(['lamp offline', 'sofa online']);
    link.state = 'connected';
    link.emit('state', { state: 'connected' });
    await waitFor(() => client.messages.filter((m) => m.topic === `${root}/avail2mqtt/lamp/availability`).length === 3, 'the lamp back online');
    expect(client.messages.filter((m) => m.topic === `${root}/avail2mqtt/lamp/availability`).map((m) => m.payload)).toEqual(['online', 'offline', 'online']);

    // A message after its own comes back once they have: none of them was taken as a command.
    const refused: string[] = [];
    gateway.on('refused', (r) => refused.push(r.topic ?? r.detail));
    await client.publish(`${root}/marker`, 'x', { qos: 1 });
    await waitFor(() => refused.length > 0, 'the marker refused');
    expect(refused).toHaveLength(1);
    expect(gateway.counters).toMatchObject({ devicesOffline: 0, availabilityChanges: 2 });

    await gateway.stop();
    await client.waitFor((m) => m.topic === `${root}/avail2mqtt/availability` && m.payload === 'offline', 'the gateway offline');
    const gatewayOffline = at('availability', 'offline');
    expect(at('lamp/availability', 'offline')).toBeLessThan(gatewayOffline);
    expect(
      client.messages
        .slice(0, gatewayOffline)
        .filter((m) => m.topic === `${root}/avail2mqtt/sofa/availability`)
        .map((m) => m.payload),
    ).toEqual(['online', 'offline']);
    expect(link.listenerCount('state')).toBe(0);
  } finally {
    await gateway.stop();
    await client.end();
    await sweepRetained([`${root}/#`]);
  }
});
