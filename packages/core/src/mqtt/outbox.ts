import type { PublishKind } from './connection-options.js';

export interface OutboxEntry {
  kind: PublishKind;
  topic: string;
  payload: string | Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  correlation?: string;
}

/**
 * Outgoing messages waiting for the broker. Bounded: past `limit` the oldest message is
 * dropped and counted. A state (given a coalescing key) replaces a waiting one with the same key
 * and goes last: only the latest state of a device matters once the broker is back, and the
 * states leave in the order of their last change.
 */
export class Outbox {
  // Map keeps insertion order: O(1) push, replace (delete and set), drop-oldest and drain.
  private readonly entries = new Map<string | number, OutboxEntry>();
  private seq = 0;
  private droppedCount = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`outbox limit must be at least 1, got ${limit}`);
  }

  /**
   * Queues a message: one with a coalescing key replaces a waiting one with the same key (`coalesced`),
   * else it goes last; `dropped` says how many old ones were dropped to make room (0 or 1).
   */
  push(entry: OutboxEntry, coalesceKey?: string): { dropped: number; coalesced: boolean } {
    const key = coalesceKey !== undefined ? `S\u0000${coalesceKey}` : this.seq++;
    if (coalesceKey !== undefined && this.entries.has(key)) {
      // Moved to the end: the states of one device then leave in the order of their last change,
      // so the last one sent is the device's current state (light_on, light_off, light_on ends on).
      this.entries.delete(key);
      this.entries.set(key, entry);
      return { dropped: 0, coalesced: true };
    }
    let dropped = 0;
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next().value as string | number;
      this.entries.delete(oldest);
      dropped = 1;
      this.droppedCount += 1;
    }
    this.entries.set(key, entry);
    return { dropped, coalesced: false };
  }

  /** Takes the oldest waiting message. */
  shift(): OutboxEntry | undefined {
    const first = this.entries.entries().next();
    if (first.done) return undefined;
    this.entries.delete(first.value[0]);
    return first.value[1];
  }

  /** Takes every waiting message, oldest first. */
  drain(): OutboxEntry[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Messages dropped since the start. */
  get dropped(): number {
    return this.droppedCount;
  }
}
