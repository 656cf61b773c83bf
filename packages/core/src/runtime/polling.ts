import type { MessageList } from '../model/message-list.js';

const MAX_CHAINED_TURNS = 64;

export interface PollingOptions {
  incoming: MessageList;
  /** Longest wait between two turns, ms (`[MQTT] timeout`). */
  everyMs: number;
  /** One turn: the interface's `loop()`, its errors contained by the caller. */
  turn(): Promise<void>;
}

/**
 * Polling mode's scheduler: a turn runs as soon as incoming messages wait (after the network
 * events that brought them, like the original's loop), and at least every `everyMs` otherwise.
 * One turn at a time. A turn that took nothing while messages wait is not followed at once
 * by another, so an interface that stops pulling does not make the gateway spin.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private queued = false;
  private running = false;
  private stopped = false;
  /** Turns run one after another without waiting for I/O. */
  private chained = 0;
  private readonly offPush: () => void;

  constructor(private readonly o: PollingOptions) {
    this.offPush = o.incoming.onPush(() => this.wake());
  }

  start(): void {
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.offPush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wake(yieldFirst = false): void {
    if (this.queued || this.running || this.stopped) return;
    this.queued = true;
    if (yieldFirst) {
      // Turns that keep finding messages (a loop() that pushes some back) would chain microtasks
      // for ever and starve I/O, timers and signals: every so often a turn waits for them.
      this.chained = 0;
      setImmediate(() => void this.run());
      return;
    }
    // A microtask runs once the network event that pushed has been handled (MQTT.js parses a
    // whole socket read before microtasks run): one turn per read, as the original calls its
    // loop after each network event. setImmediate would wait for every read of the poll phase
    // (up to 32 of 64 KB each), letting thousands of messages pile up in a burst.
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    this.queued = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    this.running = true;
    const before = this.o.incoming.pulls;
    try {
      await this.o.turn();
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.o.incoming.size > 0 && this.o.incoming.pulls !== before) this.wake(++this.chained >= MAX_CHAINED_TURNS);
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake();
      }, this.o.everyMs);
  }
}
