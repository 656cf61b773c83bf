// Two gateways in one process (the library call): each its own client id, availability,
// subscriptions and interface; stopping one leaves the other running.
import { connectClient, SHARED_BROKER_URL, uniqueRoot, waitFor } from '@mg/test-helpers';
import { createGateway, type Gateway, type GatewayInterface, type InterfaceContext } from '../index.js';
import { memoryLogging } from '../testing/index.js';

/** Answers every command with a reply naming the gateway that handled it. */
class Named implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  loop(): void {
    for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) {
      if (m.isCmd) this.ctx.outgoing.push(m.reply('OK', this.ctx.appName));
    }
  }
}

it('runs two gateways side by side, each with its own client id and availability', async () => {
  const root = uniqueRoot('two');
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const make = (appName: string, gatewayToken: string): Gateway =>
    createGateway(Named, {
      appName,
      // Each listens to its own gateway level: two devices on one machine.
      config: { MQTT: { host: hostname, port: Number(port || 1883), root, topics: `${root}/+/${gatewayToken}/+/+/+/C`, statsinterval: 0 } },
      logging: memoryLogging(appName),
    });
  const a = make('alpha2mqtt', 'alpha');
  const b = make('beta2mqtt', 'beta');
  const client = await connectClient(SHARED_BROKER_URL);
  try {
    await client.subscribe(`${root}/#`, 1);
    const connected: string[] = [];
    a.on('connected', () => connected.push('alpha'));
    b.on('connected', () => connected.push('beta'));
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => connected.length === 2, 'both connections');
    const online = (id: string) => (m: { topic: string; payload: string }) => m.topic === `${root}/${id}/availability` && m.payload === 'online';
    await client.waitFor(online('alpha2mqtt'), 'alpha online');
    await client.waitFor(online('beta2mqtt'), 'beta online');

    await client.publish(`${root}/lighting/alpha/office/lamp/me/C`, 'light_on');
    await client.publish(`${root}/lighting/beta/office/lamp/me/C`, 'light_on');
    const reply = (gw: string, app: string) => (m: { topic: string; payload: string }) =>
      m.topic === `${root}/lighting/${gw}/office/lamp/${app}/S` && m.payload.includes(`"reason":"${app}"`);
    await client.waitFor(reply('alpha', 'alpha2mqtt'), 'alpha answers its own command');
    await client.waitFor(reply('beta', 'beta2mqtt'), 'beta answers its own command');
    expect(a.counters.delivered).toBe(1);
    expect(b.counters.delivered).toBe(1);
    // One client id each: two alike would have the broker close one for the other.
    expect([a.counters.disconnections, b.counters.disconnections]).toEqual([0, 0]);

    // Stopping one: its availability goes offline, the other still answers.
    await a.stop();
    await client.waitFor((m) => m.topic === `${root}/alpha2mqtt/availability` && m.payload === 'offline', 'alpha offline');
    await client.publish(`${root}/lighting/beta/office/kitchen/me/C`, 'light_off');
    await client.waitFor((m) => m.topic === `${root}/lighting/beta/office/kitchen/beta2mqtt/S`, 'beta still answers');
    expect(client.messages.filter((m) => m.topic === `${root}/beta2mqtt/availability`).map((m) => m.payload)).not.toContain('offline');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    for (const t of [`${root}/alpha2mqtt/availability`, `${root}/beta2mqtt/availability`]) await client.client.publishAsync(t, '', { retain: true });
    await client.end();
  }
});
