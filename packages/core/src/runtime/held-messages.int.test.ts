// Messages the gateway holds unacknowledged (the interface stalled, the incoming list full) when
// its broker restarts, on a real Mosquitto: the next CONNACK's session-present flag decides
// whether the broker sends them again (drop ours: no duplicate) or lost them (deliver ours: no loss).
import { connectClient, startMosquitto, uniqueRoot, waitFor, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { dummyMapWithRoot } from '../test-support/fixtures.js';
import type { GatewayInterface, InterfaceContext } from '../index.js';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';

const ROOT = uniqueRoot();
const MAP = dummyMapWithRoot(ROOT);
const command = (device: string) => `${ROOT}/lighting/dummy/office/${device}/tester/C`;
const LIST = 3;
let client: TestClient | undefined;
let gw: Harness | undefined;
let broker: Mosquitto | undefined;

jest.setTimeout(60_000);

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await client?.end();
  client = undefined;
  await broker?.dispose();
  broker = undefined;
});

/** Polling interface that takes messages only while the gate is open. */
class Gated implements GatewayInterface {
  static open = false;
  static seen: string[] = [];
  constructor(private readonly ctx: InterfaceContext) {
    Gated.seen = [];
  }
  loop(): void {
    if (!Gated.open) return;
    for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) Gated.seen.push(m.device);
  }
}

/**
 * The interface stalled, LIST commands in the incoming list and one more read and held with its
 * acknowledgement; then `restart` the broker, open the gate and send one last command: whatever
 * the broker sends again comes before it (one client's QoS 1 messages keep their order).
 */
async function heldAcrossRestart(options: {
  persistence: boolean;
  restart: (b: Mosquitto) => Promise<void>;
  id: string;
  acknowledge: 'received' | 'taken';
}): Promise<Harness> {
  Gated.open = false;
  broker = await startMosquitto({ persistence: options.persistence });
  const { acknowledge } = options;
  const lines = mqttLines(broker.url, { mapfilename: MAP, clientid: options.id, subqos: 1, clean: 'off', incomingsize: LIST, acknowledge });
  const g = await runGateway(Gated, lines);
  gw = g;
  await waitFor(() => g.subscriptions.length === 1, 'the subscription');
  client = await connectClient(broker.url);
  for (let i = 0; i <= LIST; i++) await client.publish(command(`d${i}`), 'light_off', { qos: 1 });
  if (acknowledge === 'received') {
    // Read by the gateway: LIST in the list, the last one held (reading paused on it).
    await waitFor(() => g.handle.counters.received === LIST + 1 && g.handle.counters.incomingPaused, 'the held message');
    expect(g.handle.counters.delivered).toBe(LIST);
  } else {
    // The first one in the list, not taken, its acknowledgement held: the others wait at the broker.
    await waitFor(() => g.handle.counters.received === 1, 'the first message');
  }
  await client.end();
  client = undefined;
  await options.restart(broker);
  await waitFor(() => g.handle.counters.connections === 2, 'the reconnection', 30_000);
  // Opened first: what the broker sends again is read (and held) before its SUBACK.
  Gated.open = true;
  await waitFor(() => g.subscriptions.length === 2, 'the subscription on the new connection', 30_000);
  client = await connectClient(broker.url);
  await client.publish(command('last'), 'light_off', { qos: 1 });
  await waitFor(() => Gated.seen.includes('last'), 'the last command', 30_000);
  return g;
}

describe.each(['received', 'taken'] as const)('acknowledge: %s', (acknowledge) => {
  it('a broker restarted without persistence lost the session: the held command is delivered from the gateway, once', async () => {
    const g = await heldAcrossRestart({
      persistence: false,
      acknowledge,
      id: `held-lost-${acknowledge}-${process.pid}`,
      restart: async (b) => {
        await b.kill();
        await b.start();
      },
    });
    // With `taken` the gateway had read only d0: the broker lost the others with its state.
    expect(Gated.seen).toEqual(acknowledge === 'received' ? ['d0', 'd1', 'd2', 'd3', 'last'] : ['d0', 'last']);
    expect(g.errors()).toMatch(/the broker did not keep the session .*: 1 message held when the connection was lost was kept and goes to the interface first/);
  });

  it('a broker restarted with persistence kept it: the held command comes again from the broker, and only from it', async () => {
    const g = await heldAcrossRestart({
      persistence: true,
      acknowledge,
      id: `held-kept-${acknowledge}-${process.pid}`,
      restart: async (b) => {
        await b.stop();
        await b.start();
      },
    });
    expect(Gated.seen).toEqual(['d0', 'd1', 'd2', 'd3', 'last']);
    expect(g.log()).toMatch(/the broker kept the session: 1 message held when the connection was lost comes again from it/);
  });
});
