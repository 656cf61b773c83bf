import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RetryInfo, StateChange } from './events.js';
import { LineTransport } from './line-transport.js';
import type { LineTransportOptions } from './options.js';
import { TcpDevice } from './test-support/tcp-device.js';
import { waitFor } from './test-support/wait.js';

// Real TCP servers on 127.0.0.1: one that accepts each connection and closes it at once, as a
// device whose only client slot is taken does, and well-behaved ones.
jest.setTimeout(20_000);

const open: LineTransport[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

function watched(port: number, options: Partial<LineTransportOptions> = {}) {
  const warnings: string[] = [];
  const t = new LineTransport({
    address: `tcp://127.0.0.1:${port}`,
    framing: { terminator: '\r' },
    logger: { warn: (m) => warnings.push(m) },
    ...options,
  });
  open.push(t);
  const states: StateChange[] = [];
  const retries: RetryInfo[] = [];
  const lines: string[] = [];
  t.on('state', (s) => states.push(s));
  t.on('retry', (r) => retries.push(r));
  t.on('line', (l) => lines.push(l));
  return { t, states, retries, lines, warnings };
}

async function hangUpServer(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as net.AddressInfo).port, accepted: () => accepted };
}

async function device(): Promise<TcpDevice> {
  const d = await TcpDevice.start();
  closers.push(() => d.close());
  return d;
}

it('a device that accepts and hangs up at once: failed attempts with growing delays, one disconnected state, no connected, one log line', async () => {
  const server = await hangUpServer();
  // A fixed jitter: each delay is 3/4 of a base that doubles, so growth is exact.
  const p = watched(server.port, { reconnect: { minMs: 40, maxMs: 10_000, random: () => 0.5 } });
  p.t.start();
  await waitFor(() => p.retries.length >= 6, 'six failed attempts', 15_000);
  expect(server.accepted()).toBeGreaterThanOrEqual(6); // accepted, not refused: each was a connection
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'disconnected']);
  const delays = p.retries.map((r) => r.retryInMs);
  expect(delays.slice(0, 6)).toEqual([30, 60, 120, 240, 480, 960]);
  expect(p.retries.map((r) => r.attempt).slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
  for (const r of p.retries) expect(r.reason).toMatch(/the device at tcp:\/\/127\.0\.0\.1:\d+ (closed|reset) the connection \d+ ms after it opened$/);
  // One WARN line for the lot (the throttle allows another after 10 s; the six attempts take ~2 s).
  expect(p.warnings).toEqual([
    expect.stringMatching(
      /: the device closed the connection \d+ ms after it opened \(does another program hold its only connection\?\); trying again with growing delays$/,
    ),
  ]);
});

it('a device that accepts and stays is announced once the connection has lasted settleMs', async () => {
  const d = await device();
  const p = watched(d.port);
  const started = performance.now();
  p.t.start();
  await waitFor(() => p.t.state === 'connected', 'the connected state');
  const took = performance.now() - started;
  // 250 ms by default: the accept itself takes a millisecond here.
  expect(took).toBeGreaterThanOrEqual(250);
  expect(took).toBeLessThan(3_000);
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  expect(p.warnings).toEqual([]);
});

it('carries lines and requests while the connection settles; one that ends then is a failed attempt', async () => {
  const d = await device();
  d.answer = (line) => (line === 'PING' ? 'PONG\r' : undefined);
  const p = watched(d.port, { reconnect: { minMs: 40, maxMs: 200, stableMs: 60_000, settleMs: 30_000 } });
  p.t.start();
  await waitFor(() => d.clients === 1, 'the connection at the device');
  d.send('HELLO\r');
  await waitFor(() => p.lines.includes('HELLO'), 'the greeting');
  await expect(p.t.request('PING', { match: /^PONG$/ })).resolves.toBe('PONG');
  await expect(p.t.ask('PING', { ok: /^PONG$/ })).resolves.toMatchObject({ ok: true, attempts: 1 });
  expect(p.t.state).toBe('connecting');
  d.hangUp();
  await waitFor(() => p.retries.length >= 1, 'the failed attempt');
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'disconnected']);
  expect(p.retries[0]?.error.reason).toBe('closed');
});

it('a connection announced, then lost, is an outage as before: disconnected, then connected again', async () => {
  const d = await device();
  const p = watched(d.port, { reconnect: { minMs: 40, maxMs: 200, settleMs: 20 } });
  p.t.start();
  await waitFor(() => p.t.state === 'connected', 'the first connection');
  d.hangUp();
  await waitFor(() => p.states.filter((s) => s.state === 'connected').length === 2, 'the second connection');
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
});
