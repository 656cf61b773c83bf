import { DeviceNotConnectedError } from './errors.js';
import { fakeItem, gaps, recorded, seeded, type Starts } from './test-support/fake-polls.js';

// A device that fails, under jest's fake timers: backed off alone, with growing delays, while the
// other devices on its bus keep their rate.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

let starts: Starts;
let t0: number;
beforeEach(() => {
  starts = new Map();
  t0 = performance.now();
});
const at = (key: string) => (starts.get(key) ?? []).map((t) => t - t0);

describe('a device that fails its polls', () => {
  it('has its items skipped with growing delays, back to the shortest once it answers', async () => {
    // random 0.5: each backoff delay is 3/4 of its base (1000, 2000, 4000, 8000 at most).
    const { s, backoffs, recoveries } = recorded({ backoff: { minMs: 1_000, maxMs: 8_000 }, random: () => 0.5 });
    let broken = true;
    s.add('bus', fakeItem(starts, 'd', 'a', { intervalMs: 100, fail: () => (broken ? new Error('CRC error') : undefined) }));
    s.add('bus', fakeItem(starts, 'd', 'b', { intervalMs: 100, fail: () => (broken ? new Error('CRC error') : undefined) }));
    s.start();
    await jest.advanceTimersByTimeAsync(19_950);
    expect(backoffs.map((b) => b.delayMs)).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
    expect(backoffs.map((b) => b.failures)).toEqual([1, 2, 3, 4, 5, 6]);
    // Tried at the first slot after each delay, one item at a time: the other is skipped with it.
    expect(at('d/a')).toEqual([0, 800, 2300, 5300, 11300, 17300]);
    expect(at('d/b')).toEqual([]);
    const c = s.counters;
    expect(c.failures).toBe(6);
    // Every slot of both items (0 to 19,900 ms) that was not polled.
    expect(c.skipped).toBe(2 * 200 - 6);
    broken = false;
    expect(s.pollNow('d')).toBe(2); // someone asks: tried at once
    await jest.advanceTimersByTimeAsync(1);
    expect(recoveries).toEqual([{ device: 'd', failures: 6 }]);
    await jest.advanceTimersByTimeAsync(299);
    expect(at('d/b').length).toBeGreaterThanOrEqual(3); // back to its rate
    broken = true;
    await jest.advanceTimersByTimeAsync(100);
    expect(backoffs.at(-1)).toEqual({ device: 'd', delayMs: 750, failures: 1 });
    await s.stop();
  });

  it('is tried once when asked with pollNow: its other items asked are skipped once a poll has failed', async () => {
    const { s, backoffs, polls } = recorded({ timeoutMs: 100, backoff: { minMs: 60_000, maxMs: 60_000 }, random: () => 0.5 });
    for (const id of ['a', 'b', 'c']) s.add('bus', fakeItem(starts, 'd', id, { intervalMs: 1_000, dead: true }));
    s.start();
    await jest.advanceTimersByTimeAsync(500); // a timed out at 100; backed off for 45 s
    expect(s.pollNow('d')).toBe(3);
    await jest.advanceTimersByTimeAsync(500);
    expect(polls.map((p) => [p.id, p.requested, p.timedOut])).toEqual([
      ['a', false, true],
      ['a', true, true],
    ]);
    expect(backoffs.map((b) => b.failures)).toEqual([1, 2]);
    expect(s.pollNow('d')).toBe(3); // asked again: tried again
    await jest.advanceTimersByTimeAsync(100);
    expect(polls).toHaveLength(3);
    await s.stop();
  });

  it('logs its failures throttled: one line, then at most one per 10 s with a count', async () => {
    const warn = jest.fn();
    const info = jest.fn();
    const { s } = recorded({ backoff: { minMs: 100, maxMs: 200 }, random: () => 0.5, logger: { warn, info } });
    let broken = true;
    s.add('bus', fakeItem(starts, 'pump', 'flow', { intervalMs: 50, fail: () => (broken ? new Error('exception 0x02') : undefined) }));
    s.start();
    await jest.advanceTimersByTimeAsync(9_999);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/the poll of pump flow failed \(exception 0x02\); its polls are skipped for 75 ms/);
    await jest.advanceTimersByTimeAsync(200);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatch(/^\d+ poll errors in the last 10(\.\d)? s \(\d+ not reported\); latest: .*pump flow/);
    broken = false;
    await jest.advanceTimersByTimeAsync(300);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/pump answers again, after \d+ failed polls/));
    await s.stop();
  });

  it('is not backed off when its line is down (not connected): the bus is, and polling resumes at once when it is back', async () => {
    const { s, backoffs } = recorded();
    let connected = false;
    s.add('bus', fakeItem(starts, 'd', 'v', { intervalMs: 100, fail: () => (connected ? undefined : new DeviceNotConnectedError('not connected')) }));
    s.start();
    await jest.advanceTimersByTimeAsync(350);
    connected = true;
    await jest.advanceTimersByTimeAsync(200);
    expect(at('d/v')).toEqual([0, 100, 200, 300, 400, 500]);
    expect(backoffs).toEqual([]);
    expect(s.counters).toMatchObject({ polls: 6, failures: 4, skipped: 0 });
    await s.stop();
  });

  it('is probed in a gap of timeoutMs before the next healthy poll, waiting at most its backoff delay for one', async () => {
    const { s, polls } = recorded({ timeoutMs: 50, backoff: { minMs: 1_000, maxMs: 1_000 }, random: () => 0.5 });
    // A healthy item that keeps the bus busy 45 ms out of every 80: gaps of 35 ms, less than the timeout.
    s.add('bus', fakeItem(starts, 'busy', 'v', { intervalMs: 80, answerMs: 45 }));
    s.add('bus', fakeItem(starts, 'dead', 'v', { intervalMs: 80, dead: true }));
    s.start();
    await jest.advanceTimersByTimeAsync(3_000);
    // dead: 45-95 (times out, 750 ms of backoff), ready again at its slot of 880; no gap of 50 ms,
    // so tried once 750 ms more have passed, at the end of the busy poll then under way (1645).
    expect(at('dead/v')).toEqual([45, 1645]);
    // The healthy item was delayed only by those two timeouts.
    expect(polls.filter((p) => p.device === 'busy' && p.lateMs > 0).map((p) => p.lateMs)).toEqual([15, 15]);
    await s.stop();
  });
});

describe('a bus with 10 devices, one of which never answers', () => {
  it('keeps the others’ poll intervals within 20 % of their setting', async () => {
    const { s, backoffs } = recorded({ timeoutMs: 100, backoff: { minMs: 1_000, maxMs: 8_000 }, random: seeded(7) });
    const answer = seeded(11);
    for (let i = 0; i < 10; i++) {
      // 2 to 5 ms to answer (Modbus TCP, a fast serial line); d3 never does.
      s.add('rs485', fakeItem(starts, `d${i}`, 'v', { intervalMs: 1_000, jitterMs: 50, answerMs: () => 2 + 3 * answer(), dead: i === 3 }));
    }
    s.start();
    await jest.advanceTimersByTimeAsync(60_000);
    for (let i = 0; i < 10; i++) {
      if (i === 3) continue;
      const intervals = gaps(at(`d${i}/v`));
      expect(intervals.length).toBeGreaterThanOrEqual(58);
      for (const g of intervals) {
        expect(g).toBeGreaterThanOrEqual(800);
        expect(g).toBeLessThanOrEqual(1_200);
      }
    }
    // The dead one was tried less and less often, and its skipped slots counted.
    const dead = at('d3/v');
    expect(dead.length).toBeLessThan(15);
    expect(backoffs.every((b) => b.device === 'd3')).toBe(true);
    expect(backoffs.map((b) => b.failures)).toEqual(dead.map((_, k) => k + 1));
    const c = s.counters;
    expect(c.timeouts).toBe(dead.length);
    expect(c.skipped).toBeGreaterThan(40);
    // Late (by more than 100 ms): at most the polls behind d3's first timeout, before it was known dead.
    expect(c.late).toBeLessThanOrEqual(9);
    await s.stop();
  });
});
