/** A source of time in milliseconds; inject a fake one in tests instead of sleeping. */
export type Clock = () => number;

export interface ThrottleOptions {
  /** Minimum time between two reports, in milliseconds. Default 10 000 (10 s). */
  lagMs?: number;
  /** Where time comes from. Default `Date.now`. */
  clock?: Clock;
  /** A name for this kind of error, used in reports (`"connection"`, `"bad topic"`). */
  kind?: string;
}

/** What the throttle says about one occurrence. */
export interface ThrottleVerdict {
  /** True when this occurrence should be reported: the first one, or the first after the lag. */
  readonly trigger: boolean;
  /** Occurrences since the previous report, this one included (1 for the first). */
  readonly count: number;
  /** Text to log when `trigger` is true: the message, with the muted count when there is one. */
  readonly report: string;
}

export const DEFAULT_LAG_MS = 10_000;

/**
 * The state of one kind of error: when it last reported and how many occurrences it has muted
 * since. One instance per kind (the original kept a single counter for every subclass, so a
 * storm of one error muted every other).
 */
export class Throttle {
  readonly lagMs: number;
  readonly kind: string;
  private readonly clock: Clock;
  private lastReport = Number.NEGATIVE_INFINITY;
  private muted = 0;

  constructor(options: ThrottleOptions = {}) {
    const lagMs = options.lagMs ?? DEFAULT_LAG_MS;
    if (!Number.isFinite(lagMs) || lagMs < 0) {
      throw new RangeError(`throttle lag must be a finite number of milliseconds >= 0, got ${lagMs}`);
    }
    this.lagMs = lagMs;
    this.clock = options.clock ?? Date.now;
    this.kind = options.kind ?? 'error';
  }

  /** Records one occurrence and says whether to report it. */
  hit(message: string): ThrottleVerdict {
    const now = this.clock();
    const since = now - this.lastReport;
    if (since < this.lagMs) {
      this.muted += 1;
      return { trigger: false, count: this.muted + 1, report: message };
    }
    const muted = this.muted;
    const count = muted + 1;
    const report = muted === 0 ? message : `${count} ${this.kind} errors in the last ${formatSeconds(since)} (${muted} not reported); latest: ${message}`;
    this.lastReport = now;
    this.muted = 0;
    return { trigger: true, count, report };
  }

  /** Occurrences muted since the last report (0 when nothing is waiting). */
  get pending(): number {
    return this.muted;
  }

  /** Forgets the history: the next occurrence triggers. */
  reset(): void {
    this.lastReport = Number.NEGATIVE_INFINITY;
    this.muted = 0;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
