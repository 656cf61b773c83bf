import type { DeviceIoError } from './errors.js';
import type { DeviceLogger } from './logger.js';

/** One value to read from a device, again and again. */
export interface PollItem {
  /** The device it reads: a device whose poll fails or times out is backed off with all its items. */
  device: string;
  /** Names the item within its device (unique per device). */
  id: string;
  /** Time between two polls, ms (> 0). */
  intervalMs: number;
  /**
   * Each poll is due up to this much after its slot (`0 <= jitterMs < intervalMs`), drawn afresh
   * each time, so that items set alike do not all ask at the same instant. The slots themselves
   * stay `intervalMs` apart: jitter does not drift. Default 0.
   */
  jitterMs?: number;
  /**
   * Where its slots fall within the interval: the first comes this long after start() (or
   * add(), after it), `0 <= offsetMs < intervalMs`. Items that share a bus and an interval
   * spread over it this way keep a steady load on the bus (and steady intervals) where equal
   * offsets would queue them all at the same instant. Default 0: polled at once.
   */
  offsetMs?: number;
  /**
   * Reads the value (a request and its answer) and hands it on. Should give up when `signal`
   * aborts (its reason is a PollTimeoutError, or DeviceStoppedError at stop()): the bus does not
   * wait for a poll past its timeout.
   */
  poll(signal: AbortSignal): Promise<void>;
}

/** Where the scheduler takes its time from; jest's fake timers replace the default. */
export interface PollClock {
  /** Monotonic time, ms. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollSchedulerOptions {
  /** A poll that has not settled after this long is aborted and counted as a timeout, ms. Default 2000. */
  timeoutMs?: number;
  /** How long a failing device's items are skipped: doubling from minMs to maxMs, with jitter (@mg/backoff). Default 1 s to 60 s. */
  backoff?: { minMs: number; maxMs: number };
  /** WARN: a device backed off (throttled per device); INFO: it answers again. Default: nowhere. */
  logger?: DeviceLogger;
  /** Randomness in [0, 1) for jitter and backoff. Default Math.random. */
  random?: () => number;
  /** Default: performance.now and the global timers. */
  clock?: PollClock;
  /** In log lines. Default 'poll scheduler'. */
  name?: string;
}

/** One poll done, whatever its outcome (a 'poll' event). */
export interface PollInfo {
  bus: string;
  device: string;
  id: string;
  ok: boolean;
  /** From its start to its end (or to its timeout), ms. */
  ms: number;
  /** How long after its due time it started, ms (0 for a poll asked with pollNow). */
  lateMs: number;
  /** It timed out: no end within timeoutMs, or it failed with a RequestTimeoutError. */
  timedOut: boolean;
  /** Asked with pollNow() rather than due. */
  requested: boolean;
  /** Why it failed (a PollTimeoutError on a timeout). */
  error?: unknown;
}

/** A device's items are skipped for a while (a 'backoff' event). */
export interface PollBackoffInfo {
  device: string;
  delayMs: number;
  /** Why, in words. */
  reason: string;
  /** Polls failed in a row, this one included. */
  failures: number;
}

/** A backed-off device answered (a 'recovered' event). */
export interface PollRecoveredInfo {
  device: string;
  /** Polls it had failed in a row. */
  failures: number;
}

/** What the scheduler did since it was made (a snapshot). */
export interface PollCounters {
  /** Polls done, whatever their outcome. */
  polls: number;
  /** Polls that failed other than by a timeout. */
  failures: number;
  /** Polls that timed out. */
  timeouts: number;
  /** Polls not done because their device was backed off. */
  skipped: number;
  /** Polls that started later than a tenth of their interval after their due time. */
  late: number;
  /** 99th percentile of how late the last 1024 polls started, ms (devices not backed off). */
  latenessP99Ms: number;
}

/** The events of a PollScheduler, with their arguments. */
export type PollSchedulerEvents = {
  poll: [info: PollInfo];
  backoff: [info: PollBackoffInfo];
  recovered: [info: PollRecoveredInfo];
  /** A listener threw. Only emitted when listened to (else logged). */
  error: [error: DeviceIoError];
};

export const DEFAULT_POLL_TIMEOUT_MS = 2_000;
export const DEFAULT_POLL_BACKOFF = { minMs: 1_000, maxMs: 60_000 } as const;

/**
 * The global performance.now and timers, looked up at each call: jest's fake timers replace the
 * globals (not `node:perf_hooks`'s export), also after this module was loaded.
 */
export const realClock: PollClock = {
  now: () => globalThis.performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};
