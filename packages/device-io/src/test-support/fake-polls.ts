import type { PollItem } from '../poll-types.js';
import { PollScheduler } from '../poll-scheduler.js';
import type { PollInfo, PollSchedulerOptions } from '../poll-types.js';

/** When each poll started (the global performance.now(), which jest's fake timers drive), per `device/id`. */
export type Starts = Map<string, number[]>;

export interface FakeItemOptions {
  intervalMs: number;
  jitterMs?: number;
  offsetMs?: number;
  /** How long the device takes to answer, ms; a function is asked at each poll. Default 0. */
  answerMs?: number | (() => number);
  /** Never answers (the poll only ends when its signal aborts). */
  dead?: boolean | (() => boolean);
  /** The poll rejects at once with this. */
  fail?: () => Error | undefined;
}

/**
 * A poll item whose device is simulated with timers: it answers after `answerMs`, or never,
 * and gives up (rejecting with the signal's reason) when its signal aborts, as a well-behaved
 * poll does.
 */
export function fakeItem(starts: Starts, device: string, id: string, o: FakeItemOptions): PollItem {
  const key = `${device}/${id}`;
  return {
    device,
    id,
    intervalMs: o.intervalMs,
    jitterMs: o.jitterMs,
    offsetMs: o.offsetMs,
    poll: (signal) => {
      starts.set(key, [...(starts.get(key) ?? []), performance.now()]);
      const err = o.fail?.();
      if (err) return Promise.reject(err);
      const dead = typeof o.dead === 'function' ? o.dead() : o.dead === true;
      const ms = typeof o.answerMs === 'function' ? o.answerMs() : (o.answerMs ?? 0);
      // At once, not on a 0 ms timer: one set from a timer's callback fires 1 ms later.
      if (!dead && ms === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = dead ? undefined : setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        });
      });
    },
  };
}

/** A scheduler with its events recorded. */
export function recorded(options: PollSchedulerOptions = {}) {
  const s = new PollScheduler(options);
  const polls: PollInfo[] = [];
  const backoffs: { device: string; delayMs: number; failures: number }[] = [];
  const recoveries: { device: string; failures: number }[] = [];
  s.on('poll', (p) => polls.push(p));
  s.on('backoff', (b) => backoffs.push({ device: b.device, delayMs: b.delayMs, failures: b.failures }));
  s.on('recovered', (r) => recoveries.push(r));
  return { s, polls, backoffs, recoveries };
}

/** A repeatable source of randomness in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Differences between successive values. */
export function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}
