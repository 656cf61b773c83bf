import { MgError } from '@mg/errors';
import { Throttle, ThrottledError } from './index.js';

/** A clock the test moves by hand: no sleeping. */
function manualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Throttle', () => {
  it('triggers on the first occurrence, with the bare message', () => {
    const clock = manualClock();
    const t = new Throttle({ clock: clock.now, kind: 'connection' });
    expect(t.hit('refused')).toEqual({ trigger: true, count: 1, report: 'refused' });
  });

  it('mutes occurrences within the lag, then reports how many and the latest message', () => {
    const clock = manualClock();
    const t = new Throttle({ clock: clock.now, kind: 'connection', lagMs: 10_000 });
    t.hit('first');
    for (let i = 1; i <= 4; i++) {
      clock.advance(2_000);
      expect(t.hit(`again ${i}`).trigger).toBe(false);
    }
    expect(t.pending).toBe(4);
    clock.advance(2_500); // 10.5 s after the first report
    const v = t.hit('latest');
    expect(v.trigger).toBe(true);
    expect(v.count).toBe(5);
    expect(v.report).toBe('5 connection errors in the last 10.5 s (4 not reported); latest: latest');
    expect(t.pending).toBe(0);
  });

  it('starts a new lag after each report', () => {
    const clock = manualClock();
    const t = new Throttle({ clock: clock.now, lagMs: 1_000 });
    expect(t.hit('a').trigger).toBe(true);
    clock.advance(1_000);
    expect(t.hit('b')).toEqual({ trigger: true, count: 1, report: 'b' });
    clock.advance(999);
    expect(t.hit('c').trigger).toBe(false);
  });

  it('keeps one state per kind: a storm of one kind does not mute another', () => {
    const clock = manualClock();
    const connection = new Throttle({ clock: clock.now, kind: 'connection' });
    const badTopic = new Throttle({ clock: clock.now, kind: 'bad topic' });
    connection.hit('x');
    connection.hit('x');
    expect(badTopic.hit('y').trigger).toBe(true);
    expect(connection.pending).toBe(1);
    expect(badTopic.pending).toBe(0);
  });

  it('reset() makes the next occurrence trigger', () => {
    const clock = manualClock();
    const t = new Throttle({ clock: clock.now });
    t.hit('a');
    t.hit('b');
    t.reset();
    expect(t.hit('c')).toEqual({ trigger: true, count: 1, report: 'c' });
  });

  it('rejects a negative or non-finite lag', () => {
    expect(() => new Throttle({ lagMs: -1 })).toThrow(/lag/);
    expect(() => new Throttle({ lagMs: Number.NaN })).toThrow(/lag/);
  });

  it('uses the real clock and a 10 s lag by default', () => {
    const t = new Throttle();
    expect(t.lagMs).toBe(10_000);
    expect(t.hit('a').trigger).toBe(true);
    expect(t.hit('b').trigger).toBe(false);
  });
});

describe('ThrottledError', () => {
  class ConnectionError extends ThrottledError {}

  it('is an MgError carrying the verdict of its throttle', () => {
    const clock = manualClock();
    const throttle = new Throttle({ clock: clock.now, kind: 'connection' });
    const cause = new Error('ECONNREFUSED');
    const first = new ConnectionError(throttle, 'broker unreachable', { code: 'MQTT_CONNECT', cause });
    expect(first).toBeInstanceOf(MgError);
    expect(first.name).toBe('ConnectionError');
    expect(first.code).toBe('MQTT_CONNECT');
    expect(first.cause).toBe(cause);
    expect(first.trigger).toBe(true);
    const second = new ConnectionError(throttle, 'still unreachable');
    expect(second.trigger).toBe(false);
    expect(second.code).toBe('THROTTLED_ERROR');
    clock.advance(10_000);
    const third = new ConnectionError(throttle, 'and again');
    expect(third.trigger).toBe(true);
    expect(third.report).toMatch(/^2 connection errors in the last 10 s \(1 not reported\); latest: and again$/);
  });
});
