import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, waitFor, type TestClient } from '@mg/test-helpers';
import { startCampaignSystem, type ActiveFault, type CampaignSystem, type FaultKind, type HistoryEvent, type SystemOptions } from './system.js';

// Each fault kind of the campaign, alone, on the real system (Mosquitto with persistence, the
// gateway process under its supervisor, the relays and the tap): it has the effect it claims, and
// after heal() a command goes through again.
const KEEPALIVE_S = 2;
const lines: string[] = [];
let sys: CampaignSystem;
let device: TestClient;
let dir: string;
let seq = 0;

/** The next history event that matches, from now on (call before causing it). */
function next(match: (e: HistoryEvent) => boolean, what: string, timeoutMs = 15_000): Promise<HistoryEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no ${what} within ${timeoutMs} ms; system log:\n${lines.slice(-20).join('\n')}`))), timeoutMs);
    const off = sys.onHistory((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Sends a command (QoS 1, acknowledged by the broker) and returns its id. */
async function send(): Promise<string> {
  const id = `c${++seq}`;
  const { topic, payload } = sys.command(id);
  await device.publish(topic, payload, { qos: 1 });
  return id;
}

const replied = (id: string, timeoutMs = 20_000) =>
  device.waitFor((m) => sys.replyId(m.topic, Buffer.from(m.payload), {}) === id, `the reply to ${id}`, timeoutMs);

/** A command goes to the gateway and its reply comes back: the system works. */
async function roundTrip(timeoutMs?: number): Promise<number> {
  const started = Date.now();
  await replied(await send(), timeoutMs);
  return Date.now() - started;
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });

/** The gateway's way to the broker: the relay its configuration names. */
const relayPort = () => Number(/^host: 127\.0\.0\.1:(\d+)/m.exec(readFileSync(join(dir, 'campaign2mqtt.conf'), 'utf8'))?.[1]);

const at =
  <T>(value: T) =>
  () =>
    value;
const injected: ActiveFault[] = [];
const inject = async (kind: FaultKind, rnd: () => number = at(0.5)) => {
  const fault = await sys.inject(kind, rnd);
  injected.push(fault);
  return fault;
};

// A failed test must not leave its fault on the next one.
afterEach(async () => {
  for (const fault of injected.splice(0)) await fault.heal();
});

/** One system for the tests of a describe block (they run in order, each healing its faults). */
function useSystem(options: Pick<SystemOptions, 'mode' | 'broker'>): void {
  beforeAll(async () => {
    lines.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'mg-campaign-system-'));
    sys = await startCampaignSystem({ ...options, dir, keepaliveS: KEEPALIVE_S, log: (l) => lines.push(l) });
    // On the cluster, the device is on the last node: commands cross from node to node.
    device = await connectClient(sys.clientUrls.at(-1)!, { clientId: 'campaign-system-test', clean: false });
    await device.subscribe(sys.statusFilter, 1);
  }, 90_000);

  afterAll(async () => {
    await device?.end();
    await sys?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
}

describe('Mosquitto, event mode', () => {
  useSystem({ mode: 'event', broker: 'mosquitto' });

  test('a command crosses to the gateway, is delivered, replied, its reply acknowledged by the broker and received', async () => {
    const crossed = next((e) => e.kind === 'crossed', 'crossed');
    const acked = next((e) => e.kind === 'reply-acked', 'reply-acked');
    const id = await send();
    await replied(id);
    expect((await crossed).id).toBe(id);
    expect((await acked).id).toBe(id);
    const mine = (await sys.records()).filter((e) => e.id === id).map((e) => e.kind);
    expect(mine).toEqual(expect.arrayContaining(['crossed', 'delivered', 'replied', 'reply-acked']));
    expect(sys.kinds).not.toContain('node-kill');
  });

  test('network-cut drops the connection and refuses new ones until healed; the gateway reconnects', async () => {
    const down = next((e) => e.kind === 'disconnected', 'a disconnection');
    const fault = await inject('network-cut');
    await down;
    expect(await refused(relayPort())).toBe(true);
    const up = next((e) => e.kind === 'connected', 'a reconnection');
    await fault.heal();
    expect((await up).detail).toMatch(/sessionPresent=true/);
    await roundTrip();
  });

  test('packet-loss: the link goes silent both ways, only the keepalive finds it; after heal the gateway reconnects', async () => {
    await roundTrip();
    const down = next((e) => e.kind === 'disconnected', 'the gateway giving up on its keepalive', 6 * KEEPALIVE_S * 1000);
    const fault = await inject('packet-loss');
    const lostAt = Date.now();
    const id = await send(); // the broker takes it; it cannot reach the gateway
    const e = await down;
    // Found by the gateway's keepalive (no PINGRESP), not by a close that crossed the link.
    expect(e.detail).toMatch(/gateway side closed/);
    expect(e.at - lostAt).toBeGreaterThanOrEqual(KEEPALIVE_S * 1000 - 200);
    expect((await sys.records()).some((r) => r.kind === 'crossed' && r.id === id)).toBe(false);
    const up = next((e) => e.kind === 'connected', 'a reconnection');
    await fault.heal();
    await up;
    await replied(id);
    await roundTrip();
  });

  test('latency delays each way by at least its draw and keeps the order', async () => {
    const base = await roundTrip();
    const fault = await inject('latency', at(0.5)); // 160 ms + up to 80 ms each way
    expect(lines.at(-1)).toMatch(/latency 160 ms \+ up to 80 ms jitter/);
    const slow = await roundTrip();
    expect(slow).toBeGreaterThanOrEqual(2 * 160);
    const ids = await Promise.all(Array.from({ length: 20 }, () => send()));
    await replied(ids.at(-1)!);
    await fault.heal();
    const delivered = (await sys.records()).filter((e) => e.kind === 'delivered' && ids.includes(e.id!)).map((e) => e.id);
    expect(delivered).toEqual(ids);
    expect(base).toBeLessThan(slow);
  });

  test('gateway-kill: kill -9, the supervisor starts a new incarnation that reconnects to its session', async () => {
    const before = (await sys.records()).filter((e) => e.kind === 'gateway-up').length;
    const downEvent = next((e) => e.kind === 'gateway-down', 'the gateway dying');
    const upEvent = next((e) => e.kind === 'gateway-up', 'a new gateway');
    const connected = next((e) => e.kind === 'connected', 'its connection');
    const fault = await inject('gateway-kill');
    expect((await downEvent).detail).toBe('killed by SIGKILL');
    const up = await upEvent;
    expect(up.incarnation).toBe(before + 1);
    expect((await connected).detail).toMatch(/sessionPresent=true/);
    await fault.heal();
    const id = await send();
    await replied(id);
    expect((await sys.records()).find((e) => e.kind === 'delivered' && e.id === id)?.incarnation).toBe(before + 1);
    expect(lines.join('\n')).not.toMatch(/crashed/);
  });

  test('interface-stall: the interface takes nothing (its list fills, the gateway stops reading) until healed, then everything', async () => {
    const fault = await inject('interface-stall');
    // More than the incoming list holds (50) crosses; the rest waits at the broker.
    let crossed = 0;
    const filled = next((e) => e.kind === 'crossed' && ++crossed >= 50, '50 commands crossed to the gateway');
    const ids = await Promise.all(Array.from({ length: 80 }, () => send()));
    await filled;
    expect((await sys.records()).filter((e) => e.kind === 'delivered' && ids.includes(e.id!))).toEqual([]);
    await fault.heal();
    await Promise.all(ids.map((id) => replied(id)));
  });

  test('slow-device: each command takes the drawn device time', async () => {
    const fault = await inject('slow-device', at(0.5)); // 26 ms per command
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await send());
    await replied(ids.at(-1)!);
    await fault.heal();
    const times = (await sys.records()).filter((e) => e.kind === 'delivered' && ids.includes(e.id!)).map((e) => e.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
  });

  test.each([
    ['broker-kill', true],
    ['broker-restart', true],
    ['broker-state-loss', false],
  ] as const)('%s: the broker is down until healed, then the CONNACK says sessionPresent=%s', async (kind, present) => {
    await roundTrip();
    const down = next((e) => e.kind === 'disconnected', 'a disconnection');
    const fault = await inject(kind);
    await down;
    expect(await refused(Number(new URL(sys.clientUrls[0]!).port))).toBe(true);
    const up = next((e) => e.kind === 'connected', 'a reconnection', 20_000);
    await fault.heal();
    expect((await up).detail).toMatch(`sessionPresent=${present}`);
    // The device's own client reconnects; it subscribes again (its session may be lost too) before
    // it sends, or the reply could come before its subscription.
    await waitFor(() => device.client.connected, 'the device client back', 20_000);
    await device.subscribe(sys.statusFilter, 1);
    await roundTrip(30_000);
  });

  test('overlapping faults: each holds what it changed until its own heal', async () => {
    const cut = await inject('network-cut');
    const kill = await inject('broker-kill');
    await kill.heal();
    expect(await refused(relayPort())).toBe(true); // still cut
    expect(await refused(Number(new URL(sys.clientUrls[0]!).port))).toBe(false); // the broker is back
    const up = next((e) => e.kind === 'connected', 'a reconnection');
    await cut.heal();
    await cut.heal(); // idempotent
    await up;
    await roundTrip(30_000);
  });
});

describe('Mosquitto, polling mode', () => {
  useSystem({ mode: 'polling', broker: 'mosquitto' });

  test('commands go through a polling interface, which a stall stops until healed', async () => {
    await roundTrip();
    const stall = await inject('interface-stall');
    let crossed = 0;
    const filled = next((e) => e.kind === 'crossed' && ++crossed >= 50, '50 commands crossed to the gateway');
    const ids = await Promise.all(Array.from({ length: 60 }, () => send()));
    await filled;
    expect((await sys.records()).filter((e) => e.kind === 'delivered' && ids.includes(e.id!))).toEqual([]);
    await stall.heal();
    await Promise.all(ids.map((id) => replied(id)));
  });

  test('a stall survives a kill -9 of the gateway: the device stays sick whichever process drives it', async () => {
    const stall = await inject('interface-stall');
    const upEvent = next((e) => e.kind === 'gateway-up', 'a new gateway');
    const connected = next((e) => e.kind === 'connected', 'its connection');
    await inject('gateway-kill');
    expect((await upEvent).incarnation).toBe(2);
    await connected;
    const crossing = next((e) => e.kind === 'crossed', 'a command crossed');
    const id = await send();
    expect((await crossing).id).toBe(id);
    expect((await sys.records()).some((e) => e.kind === 'delivered' && e.id === id)).toBe(false);
    await stall.heal();
    await replied(id);
    expect((await sys.records()).find((e) => e.kind === 'delivered' && e.id === id)?.incarnation).toBe(2);
  });
});

describe('NATS 3-node cluster, event mode', () => {
  useSystem({ mode: 'event', broker: 'nats-cluster' });

  test("node-kill: the gateway's node dies, it moves to another node; heal starts the node again", async () => {
    expect(sys.kinds).toContain('node-kill');
    expect(sys.kinds).not.toContain('broker-state-loss');
    await roundTrip();
    const moved = next((e) => e.kind === 'connected', 'a connection to another node', 30_000);
    const fault = await inject('node-kill', at(0)); // node 1: the gateway's first
    expect((await moved).detail).toMatch(/^node [23] sessionPresent=true/);
    expect(await refused(Number(new URL(sys.clientUrls[0]!).port))).toBe(true);
    await roundTrip(30_000);
    await fault.heal();
    expect(await refused(Number(new URL(sys.clientUrls[0]!).port))).toBe(false);
    await roundTrip(30_000);
  }, 120_000);

  test('broker-kill kills every node; after heal the session is still there', async () => {
    const down = next((e) => e.kind === 'disconnected', 'a disconnection');
    const fault = await inject('broker-kill');
    await down;
    expect(await Promise.all(sys.clientUrls.map((u) => refused(Number(new URL(u).port))))).toEqual([true, true, true]);
    const up = next((e) => e.kind === 'connected', 'a reconnection', 60_000);
    await fault.heal();
    expect((await up).detail).toMatch(/sessionPresent=true/);
    await waitFor(() => device.client.connected, 'the device client back', 30_000);
    await roundTrip(30_000);
  }, 120_000);
});
