import { connectClient, freePort, startMosquitto, startTcpProxy, waitFor, type Mosquitto } from '@mg/test-helpers';
import { InternalMessage, type GatewayInterface, type InterfaceContext } from '../index.js';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';
import { PollingEcho } from '../test-support/interfaces.js';

// Tests that stop, restart or reconfigure a broker run against their own mosquitto.
const ROOT = 'testmqttgtw';
let broker: Mosquitto | undefined;
let gw: Harness | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await broker?.dispose();
  broker = undefined;
});

/** An interface the test drives: it pushes what the test gives it. */
class Pusher implements GatewayInterface {
  static current: Pusher;
  constructor(readonly ctx: InterfaceContext) {
    Pusher.current = this;
  }
  start(): void {}
  status(device: string, action: string): void {
    this.ctx.outgoing.push(new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device, action }));
  }
}

it('reconnects by itself after the broker restarts, subscribes again and answers', async () => {
  broker = await startMosquitto();
  gw = await runGateway(PollingEcho, mqttLines(broker.url));
  await waitFor(() => gw!.handle.counters.connections === 1, 'the first connection');
  await broker.kill();
  await new Promise((r) => setTimeout(r, 500));
  await broker.start();
  await waitFor(() => gw!.handle.counters.connections === 2, 'the reconnection', 15_000);
  const client = await connectClient(broker.url);
  await client.subscribe(`${ROOT}/+/+/+/+/+/S`);
  await waitFor(() => gw!.subscriptions.length === 2, 'the new subscriptions');
  await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on');
  await client.waitFor((m) => m.topic.endsWith('/lamp/dummy2mqtt/S'), 'the reply after the restart');
  await client.end();
  expect(gw.handle.counters.disconnections).toBe(1);
});

it('starts while the broker is down, says it is waiting, and works once the broker appears', async () => {
  const port = await freePort();
  gw = await runGateway(PollingEcho, mqttLines(`mqtt://127.0.0.1:${port}`));
  await waitFor(() => /waiting for the broker at mqtt:\/\/127\.0\.0\.1:\d+; next attempt in/.test(gw!.log()), 'the waiting message');
  expect(gw.errors()).toMatch(/cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: connection refused \(is the broker running\?\)/);
  broker = await startMosquitto({ port });
  await waitFor(() => gw!.handle.counters.connections === 1, 'the connection', 15_000);
});

/**
 * The gateway reaches its broker through a link the test cuts; a watcher on the broker itself
 * stays connected. `whileCut` pushes statuses; returns "device payload" of what the watcher
 * got once the link is back.
 */
async function throughCutLink(expected: number, whileCut: () => void): Promise<string[]> {
  broker = await startMosquitto();
  const link = await startTcpProxy(broker.port);
  const watcher = await connectClient(broker.url);
  await watcher.subscribe(`${ROOT}/lighting/#`, 1);
  try {
    gw = await runGateway(Pusher, mqttLines(link.url, { outboxsize: 5, pubqos: 1 }));
    await waitFor(() => gw!.handle.counters.connections === 1, 'the first connection');
    await link.cut();
    await waitFor(() => gw!.handle.counters.disconnections === 1, 'the disconnection');
    whileCut();
    expect(watcher.messages).toEqual([]);
    await link.restore();
    await watcher.waitFor(() => watcher.messages.length >= expected, 'the queued statuses', 15_000);
    await new Promise((r) => setTimeout(r, 300)); // nothing more should come
    return watcher.messages.map((m) => `${m.topic.split('/')[4]} ${m.payload}`);
  } finally {
    await watcher.end();
    await link.close();
  }
}

it('keeps outgoing messages while disconnected: bounded, drops counted, sent on return', async () => {
  const got = await throughCutLink(5, () => {
    Pusher.current.status('lamp0', 'LIGHT_ON');
    Pusher.current.status('lamp0', 'LIGHT_OFF');
    for (let i = 1; i <= 8; i++) Pusher.current.status(`lamp${i}`, 'LIGHT_ON');
    // 10 distinct states (topic and action: lamp0 on and off are two) for a bound of 5: 5 dropped.
    expect(gw!.handle.counters.dropped).toBe(5);
  });
  // The oldest were dropped (lamp0's two states, lamp1..3): lamp4..8 arrive, in order.
  expect(got).toEqual(['lamp4 light_on', 'lamp5 light_on', 'lamp6 light_on', 'lamp7 light_on', 'lamp8 light_on']);
});

it('publishes the latest of each state of a device that changed while disconnected, in the order of their last change', async () => {
  const got = await throughCutLink(3, () => {
    Pusher.current.status('lamp0', 'LIGHT_ON');
    Pusher.current.status('lamp1', 'LIGHT_ON');
    Pusher.current.status('lamp0', 'LIGHT_OFF');
    Pusher.current.status('lamp0', 'LIGHT_ON');
    Pusher.current.status('lamp0', 'LIGHT_ON');
  });
  // lamp0 ends on: its last message is light_on. Nothing of lamp1 is lost to lamp0's changes.
  expect(got).toEqual(['lamp1 light_on', 'lamp0 light_off', 'lamp0 light_on']);
  expect(gw!.handle.counters).toMatchObject({ dropped: 0, coalesced: 2 });
});

it('recognises a duplicate client id: connected, then kicked again and again', async () => {
  broker = await startMosquitto();
  gw = await runGateway(PollingEcho, mqttLines(broker.url, { clientid: 'same-id', reconnectmin: 0.1, reconnectmax: 1 }));
  const twin = await runGateway(PollingEcho, mqttLines(broker.url, { clientid: 'same-id', reconnectmin: 0.1, reconnectmax: 1 }));
  try {
    await waitFor(
      () => /another client probably uses the client id "same-id"\. Give each gateway instance its own \[MQTT\] clientid/.test(gw!.errors() + twin.errors()),
      'the duplicate client id diagnosis',
      15_000,
    );
  } finally {
    await twin.stop();
  }
});
