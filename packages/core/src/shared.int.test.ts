import { connectClient, startMosquitto, waitFor, type Mosquitto } from '@mg/test-helpers';
import { mqttLines, runGateway, type Harness } from './test-support/gateway-harness.js';
import { PollingEcho } from './test-support/interfaces.js';

// Scale-out: two instances in one shared subscription group split the commands between them,
// and when one goes, the other takes them all.
let broker: Mosquitto;
const gateways: Harness[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  for (const g of gateways) await g.handle.stop();
  await broker.dispose();
});

it('splits commands between two instances of a $share group, none lost, and fails over', async () => {
  const start = async (n: number) => {
    const g = await runGateway(PollingEcho, mqttLines(broker.url, { clientid: `scale-${n}`, sharedgroup: 'dummies', subqos: 1, pubqos: 1 }));
    gateways.push(g);
    await waitFor(() => /subscribed to \$share\/dummies\//.test(g.log()), `instance ${n} to subscribe`);
    return g;
  };
  const [a, b] = [await start(1), await start(2)];
  const client = await connectClient(broker.url);
  await client.subscribe('testmqttgtw/+/+/+/+/+/S', 1);
  const send = async (from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      await client.publish(`testmqttgtw/lighting/dummy/office/lamp${i}/t/C`, 'light_on', { qos: 1 });
    }
  };
  await send(0, 40);
  await waitFor(() => client.messages.length >= 40, 'the 40 replies');
  const delivered = (g: Harness) => g.handle.counters.delivered;
  expect(delivered(a) + delivered(b)).toBe(40);
  expect(delivered(a)).toBeGreaterThan(0);
  expect(delivered(b)).toBeGreaterThan(0);

  await b.handle.stop();
  const before = delivered(a);
  await send(40, 20);
  await waitFor(() => client.messages.length >= 60, 'the 20 replies after the failover');
  expect(delivered(a) - before).toBe(20);
  const devices = new Set(client.messages.map((m) => m.topic.split('/')[4]));
  expect(devices.size).toBe(60);
  await client.end();
});
