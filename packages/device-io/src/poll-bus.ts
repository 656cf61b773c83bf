import type { DeviceHealth } from './device-health.js';
import type { PollItem } from './poll-types.js';

/** An item as the scheduler keeps it. */
export interface Entry {
  readonly item: PollItem;
  readonly health: DeviceHealth;
  /** Nominal time of its next poll (clock ms); slots are `intervalMs` apart. */
  slot: number;
  /** When the next poll is due: the slot plus this period's jitter. */
  due: number;
  /** Queued by pollNow(). */
  requested: boolean;
  /** When it was queued, in the scheduler's sequence of events (see DeviceHealth.failedStamp). */
  requestedStamp: number;
  removed: boolean;
}

/** The poll under way on a bus. */
export interface Flight {
  readonly entry: Entry;
  readonly controller: AbortController;
  timer: unknown;
  /** Settles when the poll's own promise does (which may be after its timeout). */
  settled: Promise<void>;
}

/**
 * What to do next on an idle bus: a poll (`requested` by pollNow, `due`, or a `probe` of a
 * backed-off device whose delay has passed), or nothing until `wakeAt` (Infinity: until asked).
 */
export type Choice = { entry: Entry; kind: 'requested' | 'due' | 'probe'; lateMs: number } | { wakeAt: number };

/**
 * The items that share one line to their devices (a serial bus, a TCP gateway to an RS-485
 * bus): one poll at a time, in order of due time. A bus has few items (tens to hundreds), so a
 * scan per poll costs less than a heap would save.
 */
export class PollBus {
  readonly entries: Entry[] = [];
  inFlight: Flight | undefined;
  timer: unknown;
  private requests: Entry[] = [];

  constructor(
    readonly name: string,
    private readonly random: () => number,
  ) {}

  /** Puts the entry's first slot at `now` plus its offset. */
  place(entry: Entry, now: number): void {
    entry.slot = now + (entry.item.offsetMs ?? 0);
    entry.due = entry.slot + this.jitter(entry);
  }

  /** Queues the entry ahead of the due ones (once: asking twice before it ran asks once, as of the last ask). */
  request(entry: Entry, stamp: number): void {
    entry.requestedStamp = stamp;
    if (entry.requested) return;
    entry.requested = true;
    this.requests.push(entry);
  }

  remove(entry: Entry): void {
    const at = this.entries.indexOf(entry);
    if (at >= 0) this.entries.splice(at, 1);
    this.requests = this.requests.filter((e) => e !== entry);
  }

  /**
   * What to poll now. Entries of a backed-off device that fall due before its delay has passed
   * are skipped (`onSkip` with the number of slots passed). A probe of a backed-off device, which
   * likely times out, waits for a gap of `timeoutMs` before the next due poll of a healthy
   * device, and at most its backoff delay: probing a dead device then does not delay the others.
   */
  next(now: number, timeoutMs: number, onSkip: (entry: Entry, slots: number) => void): Choice {
    for (let r = this.requests.shift(); r; r = this.requests.shift()) {
      r.requested = false;
      if (r.removed) continue;
      // Asked for a device that has failed since: one try per request, not one per item.
      if (r.health.failedStamp > r.requestedStamp) {
        onSkip(r, 1);
        continue;
      }
      // Overdue anyway: this poll is also the one of its slot.
      if (r.due <= now) this.advance(r, now);
      return { entry: r, kind: 'requested', lateMs: 0 };
    }
    let best: Entry | undefined;
    let probe: Entry | undefined;
    let wakeAt = Number.POSITIVE_INFINITY;
    let nextHealthy = Number.POSITIVE_INFINITY;
    for (const e of this.entries) {
      const h = e.health;
      if (h.backedOff && e.due <= now && now < h.retryAt) onSkip(e, this.advance(e, now));
      if (e.due > now) {
        wakeAt = Math.min(wakeAt, e.due);
        if (!h.backedOff) nextHealthy = Math.min(nextHealthy, e.due);
      } else if (!h.backedOff) {
        if (!best || e.due < best.due) best = e;
      } else if (!probe || e.due < probe.due) {
        probe = e;
      }
    }
    if (best) return this.take(best, 'due', now);
    if (!probe) return { wakeAt };
    const h = probe.health;
    const readySince = Math.max(probe.due, h.retryAt);
    if (nextHealthy - now >= timeoutMs || now - readySince >= h.delayMs) return this.take(probe, 'probe', now);
    return { wakeAt: Math.min(wakeAt, readySince + h.delayMs) };
  }

  private take(entry: Entry, kind: 'due' | 'probe', now: number): Choice {
    const lateMs = now - entry.due;
    this.advance(entry, now);
    return { entry, kind, lateMs };
  }

  /** Moves the entry to its first slot after `now` (a late poll does not make up for the slots it missed); returns the slots passed. */
  private advance(entry: Entry, now: number): number {
    const interval = entry.item.intervalMs;
    let slots = 1;
    entry.slot += interval;
    if (entry.slot <= now) {
      const more = Math.floor((now - entry.slot) / interval) + 1;
      entry.slot += more * interval;
      slots += more;
    }
    entry.due = entry.slot + this.jitter(entry);
    return slots;
  }

  private jitter(entry: Entry): number {
    const j = entry.item.jitterMs ?? 0;
    return j > 0 ? this.random() * j : 0;
  }
}
