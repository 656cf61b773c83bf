import { LineTransport } from './line-transport.js';
import { PollScheduler } from './poll-scheduler.js';
import type { PollBackoffInfo, PollInfo } from './poll-types.js';
import { TcpDevice } from './test-support/tcp-device.js';
import { waitFor } from './test-support/wait.js';

// Real things: a TCP server on 127.0.0.1 plays a line with ten addressed devices (`D3?` is
// answered `D3=<value>`), the real LineTransport talks to it, and the intervals are measured
// where the device reads each request.
jest.setTimeout(60_000);

const INTERVAL_MS = 1_500;
const DEAD = 'D7';

it('a bus with 10 devices, one of which never answers, keeps the others’ poll intervals within 20 % of their setting', async () => {
  const line = await TcpDevice.start();
  line.answer = (request) => {
    const device = /^(D\d)\?$/.exec(request)?.[1];
    return device && device !== DEAD ? `${device}=${Math.round(Math.random() * 1000)}\r` : undefined;
  };
  const transport = new LineTransport({ address: `tcp://127.0.0.1:${line.port}`, framing: { terminator: '\r' } });
  // A timeout of a tenth of the interval; backoff short enough for D7 to be tried again several times.
  const scheduler = new PollScheduler({ timeoutMs: INTERVAL_MS / 10, backoff: { minMs: 1_000, maxMs: 3_000 } });
  const polls: PollInfo[] = [];
  const backoffs: PollBackoffInfo[] = [];
  scheduler.on('poll', (p) => polls.push(p));
  scheduler.on('backoff', (b) => backoffs.push(b));
  const values = new Map<string, string>();
  const devices = Array.from({ length: 10 }, (_, i) => `D${i}`);
  for (const device of devices) {
    scheduler.add('line', {
      device,
      id: 'value',
      intervalMs: INTERVAL_MS,
      jitterMs: 30,
      poll: async (signal) => {
        values.set(device, await transport.request(`${device}?`, { match: new RegExp(`^${device}=`), timeoutMs: 5_000, signal }));
      },
    });
  }
  const healthy = devices.filter((d) => d !== DEAD);
  const arrivals = (device: string) => line.received.filter((r) => r.text === `${device}?`).map((r) => r.at);
  try {
    transport.start();
    await waitFor(() => transport.state === 'connected', 'the connection');
    scheduler.start();
    await waitFor(() => healthy.every((d) => arrivals(d).length >= 7), 'seven polls of every healthy device', 30_000);
  } finally {
    await scheduler.stop();
    await transport.stop();
    await line.close();
  }

  for (const device of healthy) {
    const times = arrivals(device);
    const intervals = times.slice(1).map((t, k) => Math.round(t - times[k]!));
    expect({ device, outside: intervals.filter((ms) => Math.abs(ms - INTERVAL_MS) > INTERVAL_MS / 5) }).toEqual({ device, outside: [] });
    expect(values.get(device)).toMatch(new RegExp(`^${device}=\\d+$`));
  }
  expect(polls.filter((p) => p.device !== DEAD && !p.ok)).toEqual([]);
  // D7 was tried, timed out, and backed off with growing delays, its skipped polls counted.
  const dead = polls.filter((p) => p.device === DEAD);
  expect(dead.length).toBeGreaterThanOrEqual(2);
  expect(dead.every((p) => p.timedOut)).toBe(true);
  expect(backoffs.map((b) => [b.device, b.failures])).toEqual(dead.map((_, k) => [DEAD, k + 1]));
  expect(scheduler.counters).toMatchObject({ timeouts: dead.length, failures: 0 });
  expect(scheduler.counters.skipped).toBeGreaterThan(0);
});
