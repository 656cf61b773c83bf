// Replicas of one gateway in a shared subscription group: an extension's write topics are
// shared like the map's commands, so that one replica acts on each write, not every one.
import { connectClient, SHARED_BROKER_URL, sweepRetained, uniqueRoot, waitFor } from '@mg/test-helpers';
import { createGateway, type Gateway } from '../index.js';
import { memoryLogging } from '../testing/index.js';
import { Lamp, toy } from '../test-support/toy-extension.js';

it('with [MQTT] sharedgroup, each write on an extension topic reaches one replica', async () => {
  const root = uniqueRoot('shared-ext');
  const base = `${root}-toy`;
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const replica = (n: number): Gateway =>
    createGateway(Lamp, {
      appName: 'lamp2mqtt',
      extensions: [toy],
      config: {
        MQTT: {
          host: hostname,
          port: Number(port || 1883),
          clientid: `${root}-${n}`,
          root,
          topics: `${root}/+/+/+/+/+/C`,
          sharedgroup: root,
          statsinterval: 0,
        },
        TOY: { enabled: 'on', base },
      },
      logging: memoryLogging(`replica${n}`),
    });
  const replicas = [replica(1), replica(2)];
  const client = await connectClient(SHARED_BROKER_URL);
  try {
    // Extensions subscribe before the connection, whose first publication is the availability:
    // once a replica is online, the broker holds its subscriptions.
    await client.subscribe(`${root}/+/availability`, 1);
    await Promise.all(replicas.map((r) => r.start()));
    for (const n of [1, 2]) {
      await client.waitFor((m) => m.topic === `${root}/${root}-${n}/availability` && m.payload === 'online', `replica ${n} online`);
    }
    const writes = 20;
    for (let i = 0; i < writes; i++) await client.publish(`${base}/lamp/level/set`, String(i), { qos: 1 });
    const delivered = () => replicas.map((r) => r.counters.delivered);
    await waitFor(() => delivered().reduce((a, b) => a + b, 0) >= writes, 'every write delivered');
    await new Promise((r) => setTimeout(r, 300)); // a second copy would come now
    expect(delivered().reduce((a, b) => a + b, 0)).toBe(writes);
    expect(delivered().every((n) => n > 0)).toBe(true); // shared between them, not taken by one
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await client.end();
    await sweepRetained([`${base}/#`, `${root}/#`]);
  }
});
