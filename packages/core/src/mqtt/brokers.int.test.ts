import { connectClient, freePort, startMosquitto, startNatsCluster, waitFor, type Mosquitto, type NatsCluster, type TestClient } from '@mg/test-helpers';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';
import { PollingEcho } from '../test-support/interfaces.js';

// A list of brokers in [MQTT] host: failover in turn, and what the gateway says at start about
// a broker that lacks what the configuration relies on (a single NATS 2.9 node lacks QoS 2,
// shared subscriptions and MQTT 5).
const ROOT = 'testmqttgtw';
const AVAILABILITY = `${ROOT}/dummy2mqtt/availability`;
const hostList = (ports: number[]) => ports.map((p) => `127.0.0.1:${p}`).join(', ');

let gw: Harness | undefined;
let clients: TestClient[] = [];
let brokers: Mosquitto[] = [];
let nats: NatsCluster | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  for (const c of clients) await c.end();
  clients = [];
  for (const b of brokers) await b.dispose();
  brokers = [];
  await nats?.close();
  nats = undefined;
});

async function mosquittos(n: number): Promise<Mosquitto[]> {
  brokers = await Promise.all(Array.from({ length: n }, () => startMosquitto()));
  return brokers;
}

async function client(url: string): Promise<TestClient> {
  const c = await connectClient(url);
  clients.push(c);
  return c;
}

/** Sends a command on `url` and waits for the gateway's reply there. */
async function roundTrip(url: string, device: string): Promise<void> {
  const c = await client(url);
  await c.subscribe(`${ROOT}/+/+/+/${device}/+/S`, 1);
  await c.publish(`${ROOT}/lighting/dummy/office/${device}/t/C`, 'light_on', { qos: 1 });
  await c.waitFor((m) => m.topic.includes(`/${device}/`), `the reply to ${device} on ${url}`);
}

it('connects to the first broker, moves to the next when it dies, and says which broker it is on', async () => {
  const [a, b] = await mosquittos(2);
  gw = await runGateway(PollingEcho, mqttLines(a!.url, { host: hostList([a!.port, b!.port]) }));
  await waitFor(() => gw!.handle.counters.connections === 1, 'the first connection');
  expect(gw.handle.counters.broker).toBe(a!.url);
  await waitFor(() => gw!.subscriptions.some((s) => s.url === a!.url), 'the subscriptions');
  await roundTrip(a!.url, 'before');
  const watcher = await client(b!.url);
  await watcher.subscribe(AVAILABILITY, 1);
  await a!.kill();
  await waitFor(() => gw!.handle.counters.connections === 2, 'the connection to the second broker', 15_000);
  expect(gw.handle.counters).toMatchObject({ broker: b!.url, disconnections: 1 });
  // Availability moves with it: "online" on the new broker, retained for late subscribers.
  await watcher.waitFor((m) => m.payload === 'online', '"online" on the second broker');
  const late = await client(b!.url);
  await late.subscribe(AVAILABILITY, 1);
  await late.waitFor((m) => m.payload === 'online' && m.retain, 'the retained "online"');
  await waitFor(() => gw!.subscriptions.some((s) => s.url === b!.url), 'the subscriptions on the second broker');
  await roundTrip(b!.url, 'after');
});

it('goes on from the broker that failed, not from the first of the list', async () => {
  const [a, b, c] = await mosquittos(3);
  gw = await runGateway(PollingEcho, mqttLines(a!.url, { host: hostList([a!.port, b!.port, c!.port]), reconnectmin: 0.1, reconnectmax: 1 }));
  await waitFor(() => gw!.handle.counters.connections === 1, 'the first connection');
  await a!.kill();
  await waitFor(() => gw!.handle.counters.broker === b!.url, 'the second broker');
  await a!.start();
  await b!.kill();
  // The first broker is back, but the next in turn is the third.
  await waitFor(() => gw!.handle.counters.connections === 3, 'the third connection', 15_000);
  expect(gw.handle.counters.broker).toBe(c!.url);
  await c!.kill();
  await waitFor(() => gw!.handle.counters.connections === 4, 'the fourth connection', 15_000);
  expect(gw.handle.counters.broker).toBe(a!.url);
});

it('starts when the first broker of the list is down', async () => {
  const [b] = await mosquittos(1);
  const dead = await freePort();
  gw = await runGateway(PollingEcho, mqttLines(b!.url, { host: hostList([dead, b!.port]) }));
  await waitFor(() => gw!.handle.counters.connections === 1, 'the connection', 15_000);
  expect(gw.handle.counters.broker).toBe(b!.url);
  expect(gw.errors()).toMatch(new RegExp(`cannot connect to mqtt://127\\.0\\.0\\.1:${dead}: connection refused`));
  expect(gw.errors()).toContain(`next attempt at ${b!.url} in`);
});

describe('on a broker without QoS 2, shared subscriptions and MQTT 5 (a NATS 2.9 node)', () => {
  beforeEach(async () => {
    nats = await startNatsCluster({ nodes: 1 });
  }, 60_000);

  it.each([1, 2])('pubqos 2 (subqos %d): publishes at QoS 1 on one connection, and says so once', async (subqos) => {
    const url = nats!.urls[0]!;
    const watcher = await client(url);
    await watcher.subscribe(`${ROOT}/+/+/+/+/+/S`, 1);
    gw = await runGateway(PollingEcho, mqttLines(url, { pubqos: 2, subqos }));
    await waitFor(() => gw!.subscriptions.length > 0, 'the subscriptions');
    const device = await client(url);
    for (let i = 0; i < 5; i++) await device.publish(`${ROOT}/lighting/dummy/office/q${i}/t/C`, 'light_on', { qos: 1 });
    await waitFor(() => watcher.messages.length >= 5, 'the replies');
    await new Promise((r) => setTimeout(r, 500));
    // A QoS 2 publish would have made the node close the connection, again and again.
    expect(gw.handle.counters).toMatchObject({ connections: 1, disconnections: 0, published: 5 });
    expect(gw.errors().match(/supports QoS 1 at most/g)).toHaveLength(1);
  });

  it('subqos 2: says the commands come at least once', async () => {
    gw = await runGateway(PollingEcho, mqttLines(nats!.urls[0]!, { subqos: 2 }));
    await waitFor(() => /granted QoS 1 for \[MQTT\] subqos 2/.test(gw!.errors()), 'the warning');
  });

  it('sharedgroup: says that the gateway would receive nothing, and what to do', async () => {
    gw = await runGateway(PollingEcho, mqttLines(nats!.urls[0]!, { sharedgroup: 'probes' }));
    await waitFor(() => /does not support shared subscriptions/.test(gw!.errors()), 'the error', 15_000);
    expect(gw.errors()).toMatch(/Remove \[MQTT\] sharedgroup and give each instance its own topics \(partition by topic\)/);
    expect(gw.handle.counters.received).toBe(0); // the probe's messages are not the gateway's
  });

  it('version 5: says to set version 3.1.1', async () => {
    gw = await runGateway(PollingEcho, mqttLines(nats!.urls[0]!, { version: 5 }));
    await waitFor(() => /does not speak MQTT 5 .*: set \[MQTT\] version: 3\.1\.1/.test(gw!.errors()), 'the error');
    expect(gw.handle.counters.connections).toBe(0);
  });
});

it('sharedgroup on Mosquitto 2: no error, the probe finds that the broker shares', async () => {
  const [a] = await mosquittos(1);
  gw = await runGateway(PollingEcho, mqttLines(a!.url, { sharedgroup: 'probes' }));
  await waitFor(() => /the broker at .* delivers to group "probes"/.test(gw!.log()), 'the probe');
  expect(gw.errors()).not.toMatch(/shared subscriptions/);
  expect(gw.handle.counters.received).toBe(0);
});
