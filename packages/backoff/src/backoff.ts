export interface BackoffOptions {
  /** First delay, ms. */
  minMs: number;
  /** Longest delay, ms. */
  maxMs: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/**
 * Growing reconnection delays: the base doubles after each failure up to the cap, and each
 * delay is drawn between half and all of the base ("equal jitter") so that gateways restarted
 * together do not hammer a recovering broker in step.
 */
export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    if (!(options.minMs > 0) || !(options.maxMs >= options.minMs)) {
      throw new RangeError(`backoff needs 0 < min <= max, got min ${options.minMs} ms, max ${options.maxMs} ms`);
    }
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt, and one step further up. */
  next(): number {
    const base = Math.min(this.options.maxMs, this.options.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    return Math.round(base / 2 + (this.random() * base) / 2);
  }

  /** Jumps to the cap (for failures that retrying soon cannot fix, like refused credentials). */
  toMax(): void {
    this.attempt = 31;
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
