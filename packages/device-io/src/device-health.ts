import { Backoff } from '@mg/backoff';
import { Throttle } from '@mg/throttled-error';

/**
 * Whether a device answers its polls, and if not, until when its items are skipped. Each device
 * has its own backoff and its own log throttle: one dead device neither stretches another's
 * delays nor mutes its log lines.
 */
export class DeviceHealth {
  /** Polls failed in a row (0: the device answers). */
  failures = 0;
  /** Until when (clock ms) its items are skipped. */
  retryAt = 0;
  /** The last backoff delay drawn, ms. */
  delayMs = 0;
  /** When it last failed, in the scheduler's sequence of events (0: never). */
  failedStamp = 0;
  /** Items of this device, on all buses. */
  items = 0;
  readonly log: Throttle;
  private readonly backoff: Backoff;

  constructor(range: { minMs: number; maxMs: number }, random: () => number, now: () => number) {
    this.backoff = new Backoff({ minMs: range.minMs, maxMs: range.maxMs, random });
    this.log = new Throttle({ clock: now, kind: 'poll' });
  }

  get backedOff(): boolean {
    return this.failures > 0;
  }

  /** One more failure: its items are skipped for a longer delay, returned (ms). */
  fail(now: number, stamp: number): number {
    this.failures += 1;
    this.failedStamp = stamp;
    this.delayMs = this.backoff.next();
    this.retryAt = now + this.delayMs;
    return this.delayMs;
  }

  /** It answered: back to its own rate; returns how many polls had failed in a row. */
  recover(): number {
    const failures = this.failures;
    this.failures = 0;
    this.retryAt = 0;
    this.delayMs = 0;
    this.backoff.reset();
    this.log.reset();
    return failures;
  }
}
