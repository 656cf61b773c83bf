import { DeviceOptionError, DeviceStoppedError, ListenerError, PollTimeoutError, RequestTimeoutError } from './errors.js';
import { PollScheduler } from './poll-scheduler.js';
import { fakeItem, gaps, recorded, seeded, type Starts } from './test-support/fake-polls.js';

// Time-based logic under jest's fake timers: performance.now() and the timers move only when
// the test advances them, so every expected time below is exact.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

let starts: Starts;
let t0: number;
beforeEach(() => {
  starts = new Map();
  t0 = performance.now();
});
/** Start times relative to t0. */
const at = (key: string) => (starts.get(key) ?? []).map((t) => t - t0);

describe('PollScheduler', () => {
  it('polls each item at its own interval from start(), the slots not drifting with the time polls take', async () => {
    const { s } = recorded();
    s.add('bus', fakeItem(starts, 'a', 'x', { intervalMs: 100, answerMs: 30 }));
    s.add('other', fakeItem(starts, 'b', 'y', { intervalMs: 250, answerMs: 70 }));
    await jest.advanceTimersByTimeAsync(500);
    expect(at('a/x')).toEqual([]); // nothing before start()
    t0 = performance.now();
    s.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(at('a/x')).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(at('b/y')).toEqual([0, 250, 500, 750, 1000]);
    // The two polls started at 1000 have not ended yet.
    expect(s.counters).toEqual({ polls: 14, failures: 0, timeouts: 0, skipped: 0, late: 0, latenessP99Ms: 0 });
    await s.stop();
  });

  it('runs one poll at a time on a bus, in order of due time, and different buses at once', async () => {
    // Jitter puts x due at 81 ms and y at 9 ms; z is due at 0.
    const randoms = [0.9, 0.1];
    const { s, polls } = recorded({ random: () => randoms.shift() ?? 0 });
    s.add('rs485', fakeItem(starts, 'x', 'v', { intervalMs: 1_000, jitterMs: 90, answerMs: 10 }));
    s.add('rs485', fakeItem(starts, 'y', 'v', { intervalMs: 1_000, jitterMs: 90, answerMs: 10 }));
    s.add('rs485', fakeItem(starts, 'z', 'v', { intervalMs: 1_000, answerMs: 50 }));
    s.add('tcp', fakeItem(starts, 'w', 'v', { intervalMs: 1_000, answerMs: 50 }));
    s.start();
    await jest.advanceTimersByTimeAsync(200);
    // z from 0 to 50; y was due at 9, waited until 50; x due at 81. w, on its own bus, at 0 too.
    expect([at('z/v'), at('y/v'), at('x/v'), at('w/v')]).toEqual([[0], [50], [81], [0]]);
    expect(polls.filter((p) => p.bus === 'rs485').map((p) => [p.device, p.lateMs])).toEqual([
      ['z', 0],
      ['y', 41],
      ['x', 0],
    ]);
    await s.stop();
  });

  it('never starts a poll on a bus while another runs there', async () => {
    const { s } = recorded({ random: seeded(1) });
    let running = 0;
    let most = 0;
    for (let i = 0; i < 5; i++) {
      s.add('bus', {
        device: `d${i}`,
        id: 'v',
        intervalMs: 100,
        jitterMs: 50,
        poll: async () => {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 15 + i));
          running -= 1;
        },
      });
    }
    s.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(most).toBe(1);
    expect(s.counters.polls).toBeGreaterThan(200);
    // These polls ignore their signal: stop() waits timeoutMs for the one under way.
    await Promise.all([s.stop(), jest.advanceTimersByTimeAsync(2_000)]);
  });

  it('puts an item’s slots offsetMs into its interval, so that items set alike can share a bus evenly', async () => {
    const { s, polls } = recorded();
    for (let i = 0; i < 4; i++) s.add('bus', fakeItem(starts, `d${i}`, 'v', { intervalMs: 100, offsetMs: i * 25, answerMs: 20 }));
    s.start();
    await jest.advanceTimersByTimeAsync(199);
    expect([0, 1, 2, 3].map((i) => at(`d${i}/v`))).toEqual([
      [0, 100],
      [25, 125],
      [50, 150],
      [75, 175],
    ]);
    expect(polls.every((p) => p.lateMs === 0)).toBe(true); // with no offsets, the 4th would wait 60 ms each time
    expect(() => s.add('bus', fakeItem(starts, 'x', 'v', { intervalMs: 100, offsetMs: 100 }))).toThrow(/offsetMs must be >= 0 and less than intervalMs/);
    await s.stop();
  });

  it('draws each poll within [slot, slot + jitterMs), afresh each time, the slots staying intervalMs apart', async () => {
    const { s } = recorded({ random: seeded(42) });
    s.add('bus', fakeItem(starts, 'a', 'x', { intervalMs: 100, jitterMs: 30 }));
    s.start();
    await jest.advanceTimersByTimeAsync(10_000 - 1);
    const times = at('a/x');
    expect(times).toHaveLength(100);
    const offsets = times.map((t, k) => t - k * 100);
    for (const o of offsets) {
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(30 + 1); // timers have a resolution of 1 ms: a poll starts at the first whole ms from its due time
    }
    // Really drawn: spread over the range, not one value.
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(20);
    for (const g of gaps(times)) expect(Math.abs(g - 100)).toBeLessThan(30);
    await s.stop();
  });

  it('aborts a poll at timeoutMs, counts a timeout, and goes on with the next poll on the bus', async () => {
    const { s, polls } = recorded({ timeoutMs: 200 });
    const signals: AbortSignal[] = [];
    s.add('bus', { device: 'mute', id: 'v', intervalMs: 10_000, poll: (signal) => (signals.push(signal), new Promise(() => undefined)) });
    s.add('bus', fakeItem(starts, 'ok', 'v', { intervalMs: 10_000, answerMs: 5 }));
    s.start();
    await jest.advanceTimersByTimeAsync(199);
    expect(signals[0]!.aborted).toBe(false);
    expect(at('ok/v')).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(PollTimeoutError);
    expect((signals[0]!.reason as PollTimeoutError).reason).toBe('the device did not answer within 200 ms');
    expect(at('ok/v')).toEqual([200]);
    expect(polls[0]).toMatchObject({ device: 'mute', ok: false, timedOut: true, ms: 200, error: expect.any(PollTimeoutError) });
    expect(s.counters).toMatchObject({ polls: 1, timeouts: 1, failures: 0 });
    await s.stop();
  });

  it('counts a poll that failed with a request timeout as a timeout, and other rejections as failures', async () => {
    const { s, polls } = recorded();
    s.add('a', fakeItem(starts, 'late', 'v', { intervalMs: 10_000, fail: () => new RequestTimeoutError('no answer') }));
    s.add('b', fakeItem(starts, 'broken', 'v', { intervalMs: 10_000, fail: () => new Error('CRC error') }));
    s.add('c', {
      device: 'throws',
      id: 'v',
      intervalMs: 10_000,
      poll: () =>
        ((): never => {
          throw new Error('sync throw');
        })(),
    });
    s.start();
    await jest.advanceTimersByTimeAsync(1);
    expect(s.counters).toMatchObject({ polls: 3, timeouts: 1, failures: 2 });
    expect(polls.map((p) => [p.device, p.timedOut])).toEqual([
      ['late', true],
      ['broken', false],
      ['throws', false],
    ]);
    await s.stop();
  });

  it('counts polls that start more than a tenth of their interval late, and the 99th percentile of lateness', async () => {
    const { s } = recorded();
    // 3 items of 100 ms that take 40 ms each: the bus cannot keep up.
    for (const d of ['a', 'b', 'c']) s.add('bus', fakeItem(starts, d, 'v', { intervalMs: 100, answerMs: 40 }));
    s.start();
    await jest.advanceTimersByTimeAsync(2_000);
    const c = s.counters;
    expect(c.late).toBeGreaterThan(10);
    expect(c.latenessP99Ms).toBeGreaterThanOrEqual(20);
    expect(c.latenessP99Ms).toBeLessThanOrEqual(120); // at worst, behind the two others
    await s.stop();
  });

  it('rejects items that cannot work, and an item added twice', () => {
    const s = new PollScheduler();
    const poll = () => Promise.resolve();
    expect(() => s.add('b', { device: 'd', id: 'v', intervalMs: 0, poll })).toThrow(DeviceOptionError);
    expect(() => s.add('b', { device: 'd', id: 'v', intervalMs: 100, jitterMs: 100, poll })).toThrow(/jitterMs must be >= 0 and less than intervalMs/);
    expect(() => s.add('b', { device: '', id: 'v', intervalMs: 100, poll })).toThrow(/device and an id/);
    s.add('b', { device: 'd', id: 'v', intervalMs: 100, poll });
    expect(() => s.add('other', { device: 'd', id: 'v', intervalMs: 100, poll })).toThrow(/polls d v already/);
    expect(() => new PollScheduler({ timeoutMs: 0 })).toThrow(DeviceOptionError);
    expect(() => new PollScheduler({ backoff: { minMs: 10, maxMs: 5 } })).toThrow(/poll backoff/);
  });

  it('stops polling an item removed, aborting its poll under way, uncounted', async () => {
    const { s, polls } = recorded();
    const signals: AbortSignal[] = [];
    const remove = s.add('bus', { device: 'd', id: 'v', intervalMs: 100, poll: (signal) => (signals.push(signal), new Promise(() => undefined)) });
    s.add('bus', fakeItem(starts, 'e', 'v', { intervalMs: 100 }));
    s.start();
    await jest.advanceTimersByTimeAsync(10);
    remove();
    expect(signals[0]!.reason).toBeInstanceOf(DeviceStoppedError);
    await jest.advanceTimersByTimeAsync(290);
    expect(signals).toHaveLength(1);
    expect(at('e/v')).toEqual([10, 100, 200, 300]);
    expect(polls.map((p) => p.device)).toEqual(['e', 'e', 'e', 'e']); // d's aborted poll not among them
    // Its name is free again.
    s.add('bus', fakeItem(starts, 'd', 'v', { intervalMs: 100 }));
    await s.stop();
  });

  it('stop() aborts the polls under way, clears its timers, and nothing polls after it', async () => {
    const { s, polls } = recorded();
    const signals: AbortSignal[] = [];
    s.add('a', {
      device: 'd',
      id: 'v',
      intervalMs: 100,
      poll: (signal) => (signals.push(signal), new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)))),
    });
    s.add('b', fakeItem(starts, 'e', 'v', { intervalMs: 100 }));
    s.start();
    await jest.advanceTimersByTimeAsync(50);
    await s.stop();
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(DeviceStoppedError);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(at('e/v')).toEqual([0]);
    expect(polls.map((p) => p.device)).toEqual(['e']); // the aborted poll is not reported
    expect(s.pollNow()).toBe(0);
    expect(() => s.start()).toThrow(DeviceStoppedError);
    expect(() => s.add('a', fakeItem(starts, 'f', 'v', { intervalMs: 100 }))).toThrow(DeviceStoppedError);
    expect(s.stop()).toBe(s.stop());
  });

  it('stop() does not wait more than timeoutMs for a poll that ignores its signal', async () => {
    const s = new PollScheduler({ timeoutMs: 500 });
    s.add('a', { device: 'd', id: 'v', intervalMs: 100, poll: () => new Promise(() => undefined) });
    s.start();
    let stopped = false;
    void s.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(499);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(stopped).toBe(true);
  });

  it('stops when the signal given to start() aborts', async () => {
    const s = new PollScheduler();
    s.add('a', fakeItem(starts, 'd', 'v', { intervalMs: 100 }));
    const stop = new AbortController();
    s.start(stop.signal);
    await jest.advanceTimersByTimeAsync(150);
    stop.abort();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(at('d/v')).toEqual([0, 100]);
    expect(() => s.start()).toThrow(DeviceStoppedError);
  });

  it('keeps polling a listener that throws, reporting it as an error event', async () => {
    const { s } = recorded();
    const errors: unknown[] = [];
    s.on('error', (e) => errors.push(e));
    s.on('poll', () => {
      throw new Error('listener bug');
    });
    s.add('a', fakeItem(starts, 'd', 'v', { intervalMs: 100 }));
    s.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(at('d/v')).toEqual([0, 100, 200]);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(ListenerError);
    await s.stop();
  });
});

describe('PollScheduler.pollNow', () => {
  it('queues a device’s items ahead of the due ones, keeping their schedule', async () => {
    const { s, polls } = recorded();
    s.add('bus', fakeItem(starts, 'slow', 'v', { intervalMs: 2_000, answerMs: 500 }));
    s.add('bus', fakeItem(starts, 'd2', 'v', { intervalMs: 1_000, answerMs: 10 }));
    s.add('bus', fakeItem(starts, 'd1', 'a', { intervalMs: 60_000, answerMs: 10 }));
    s.add('bus', fakeItem(starts, 'd1', 'b', { intervalMs: 60_000, answerMs: 10 }));
    s.start();
    await jest.advanceTimersByTimeAsync(2_100);
    // At 2000 'slow' and d2 fell due together; slow runs until 2500, d2 waits.
    expect(s.pollNow('d1')).toBe(2);
    expect(s.pollNow('nobody')).toBe(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(at('d1/a')).toEqual([510, 2500]);
    expect(at('d1/b')).toEqual([520, 2510]);
    expect(at('d2/v')).toEqual([500, 1000, 2520, 3000]);
    expect(polls.filter((p) => p.requested).map((p) => `${p.device}/${p.id}`)).toEqual(['d1/a', 'd1/b']);
    await s.stop();
  });

  it('with no device, queues every item: once while it waits, again when asked while it runs', async () => {
    const { s } = recorded();
    s.add('a', fakeItem(starts, 'slow', 'v', { intervalMs: 60_000, answerMs: 500 }));
    s.add('a', fakeItem(starts, 'd1', 'v', { intervalMs: 60_000 }));
    s.add('b', fakeItem(starts, 'd2', 'v', { intervalMs: 60_000 }));
    s.start();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(s.pollNow()).toBe(3); // 'slow' and d2 start at once, d1 waits for 'slow'
    expect(s.pollNow()).toBe(3); // d1 is waiting already; 'slow' and d2 are under way: again after
    await jest.advanceTimersByTimeAsync(1_000);
    expect([at('slow/v'), at('d1/v'), at('d2/v')]).toEqual([
      [0, 1000, 1500],
      [500, 1500],
      [0, 1000, 1000],
    ]);
    await s.stop();
  });

  it('before start(), polls the items asked first when it starts', async () => {
    const { s, polls } = recorded();
    s.add('a', fakeItem(starts, 'd1', 'v', { intervalMs: 60_000 }));
    s.add('a', fakeItem(starts, 'd2', 'v', { intervalMs: 60_000 }));
    expect(s.pollNow('d2')).toBe(1);
    s.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(polls.map((p) => [p.device, p.requested])).toEqual([
      ['d2', true],
      ['d1', false],
    ]);
    await s.stop();
  });
});
