import type { InternalMessage, MessageList } from '@mg/core';

/**
 * Statuses on their way to `outgoing`, one quantity at a time. All the statuses of one unit
 * share one MQTT topic (the action is in the payload), and the gateway's outbox keeps only the
 * newest status per topic while the broker is away or before the first connection: the
 * readings of one round would collapse into the last one. So a status is handed over once what
 * was handed before has gone out (`drained()`); meanwhile the newest status of each unit and
 * action waits here. Bounded by the number of units times their actions.
 */
export class StatusQueue {
  private readonly waiting = new Map<string, InternalMessage>();
  private flushing = false;

  constructor(private readonly outgoing: MessageList) {}

  get size(): number {
    return this.waiting.size;
  }

  push(status: InternalMessage): void {
    const key = `${status.device}\u0000${status.action}`;
    // A newer value of the same quantity replaces the waiting one, and goes last.
    this.waiting.delete(key);
    this.waiting.set(key, status);
    if (!this.flushing) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.size > 0) {
        await this.outgoing.drained();
        const next = this.waiting.entries().next().value;
        if (!next) break;
        this.waiting.delete(next[0]);
        this.outgoing.push(next[1]);
      }
    } finally {
      this.flushing = false;
    }
  }
}
