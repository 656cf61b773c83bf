// What `published` counts on a real broker: the interface's messages only, not the gateway's
// availability and stats, nor an extension's messages (counted apart).
import { connectClient, SHARED_BROKER_URL, uniqueRoot, waitFor } from '@mg/test-helpers';
import { createGateway, InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '../index.js';
import { memoryLogging } from '../testing/index.js';
import { LAMP, toy } from '../test-support/toy-extension.js';

/** The lamp, reporting three states as soon as it starts: its own and two of lamps it does not declare. */
class Reporting implements GatewayInterface {
  static describe = (): DeviceInput[] => [LAMP];
  constructor(private readonly ctx: InterfaceContext) {}
  start(): void {
    for (const device of ['Lamp', 'Lamp2', 'Lamp3'])
      this.ctx.outgoing.push(new InternalMessage({ location: 'Hall', device, action: 'POWER', arguments: { state: 'on', level: 10 } }));
  }
}

it("counts in published the interface's messages only, after the availability, the stats and an extension's messages went out", async () => {
  const root = uniqueRoot('published');
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const gateway = createGateway(Reporting, {
    appName: 'counted2mqtt',
    config: {
      MQTT: { host: hostname, port: Number(port || 1883), root, topics: `${root}/+/+/+/+/+/C`, statsinterval: 1 },
      TOY: { enabled: true, base: `${root}/toy` },
    },
    extensions: [toy],
    logging: memoryLogging('counted2mqtt'),
  });
  const client = await connectClient(SHARED_BROKER_URL);
  try {
    await client.subscribe(`${root}/#`, 1);
    await gateway.start();
    const on = (topic: string) => client.messages.filter((m) => m.topic === topic);
    const stats = `${root}/counted2mqtt/stats`;
    // Two stats messages: the second one was made after the first had gone out.
    await waitFor(() => on(stats).length >= 2, 'two stats messages');
    await client.waitFor((m) => m.topic === `${root}/counted2mqtt/availability` && m.payload === 'online', 'online');
    await client.waitFor((m) => m.topic === `${root}/toy/lamp/$name`, "the extension's message");
    const fromInterface = client.messages.filter((m) => m.topic.endsWith('/S'));
    expect(fromInterface).toHaveLength(3);
    expect(gateway.counters.published).toBe(3);
    expect(gateway.counters.extensionPublished).toBe(client.messages.filter((m) => m.topic.startsWith(`${root}/toy/lamp/`)).length);
    expect(JSON.parse(on(stats).at(-1)!.payload)).toMatchObject({ published: 3 });
  } finally {
    await gateway.stop();
    const retained = [
      ...new Set(client.messages.filter((m) => m.retain || m.topic.includes('/toy/') || m.topic.endsWith('/availability')).map((m) => m.topic)),
    ];
    for (const t of retained) await client.client.publishAsync(t, '', { retain: true });
    await client.end();
  }
});
