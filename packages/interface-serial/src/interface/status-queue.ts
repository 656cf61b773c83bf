import type { InternalMessage, MessageList } from '@mg/core';

/**
 * Statuses on their way to `outgoing`, one quantity at a time. All the statuses of one device
 * share one MQTT topic (the action is in the payload), and the gateway's outbox keeps only the
 * newest status per topic while the broker is away, or before the first connection: the
 * answers to the start queries (POWER, MUTE, VOLUME, INPUT) would collapse into the last one.
 * So a status is handed over only once what was handed before has gone out (`drained()`);
 * meanwhile the newest status of each action waits here. Bounded by the number of actions.
 */
export class StatusQueue {
  private readonly waiting = new Map<string, InternalMessage>();
  private flushing = false;

  constructor(private readonly outgoing: MessageList) {}

  /** Messages waiting here (at most one per action). */
  get size(): number {
    return this.waiting.size;
  }

  push(status: InternalMessage): void {
    // A newer value of the same quantity replaces the waiting one, and goes last.
    this.waiting.delete(status.action);
    this.waiting.set(status.action, status);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      for (let next = this.first(); next; next = this.first()) {
        await this.outgoing.drained();
        const status = this.first();
        if (!status) break;
        this.waiting.delete(status.action);
        this.outgoing.push(status);
      }
    } finally {
      this.flushing = false;
    }
  }

  private first(): InternalMessage | undefined {
    return this.waiting.values().next().value;
  }
}
