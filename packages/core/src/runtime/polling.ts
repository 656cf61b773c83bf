import type { MessageList } from '../model/message-list.js';

const MAX_CHAINED_TURNS = 64;

export interface PollingOptions {
  incoming: MessageList;
  /** Longest wait between two turns, ms (`[MQTT] timeout`). */
  everyMs: number;
  /** One turn: the interface's `loop()`, its errors contained by the caller (it never throws). */
  turn(): void | Promise<void>;
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
  // The list when the running turn began (one turn at a time): fields, not an object per turn.
  private pullsBefore = 0;
  private sizeBefore = 0;
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
      setImmediate(this.run);
      return;
    }
    // A microtask runs once the network event that pushed has been handled (MQTT.js parses a
    // whole socket read before microtasks run): one turn per read, as the original calls its
    // loop after each network event. setImmediate would wait for every read of the poll phase
    // (up to 32 of 64 KB each), letting thousands of messages pile up in a burst.
    queueMicrotask(this.run);
  }

  private readonly run = (): void => {
    this.queued = false;
    if (this.stopped) return;
    this.running = true;
    this.pullsBefore = this.o.incoming.pulls;
    this.sizeBefore = this.o.incoming.size;
    let pending: void | Promise<void>;
    try {
      pending = this.o.turn();
    } catch (err) {
      this.turnEnded(); // turn() contains the interface's errors: this would be our bug
      throw err;
    }
    // A synchronous loop() (most are) goes on at once: no promise, no extra microtask per turn.
    if (pending) void pending.then(this.turnEnded, this.turnEnded);
    else this.turnEnded();
  };

  private readonly turnEnded = (): void => {
    this.running = false;
    if (this.stopped) return;
    // Another turn at once if messages wait and the interface is taking them, or if they came
    // during a turn that found none (it had no chance to take them); not for a turn that left
    // waiting messages untouched: that interface is not pulling, the idle timer asks it again.
    const taking = this.o.incoming.pulls !== this.pullsBefore || this.sizeBefore === 0;
    if (this.o.incoming.size > 0 && taking) this.wake(++this.chained >= MAX_CHAINED_TURNS);
    // One idle timer, pushed back after each turn: it fires only when no turn came for
    // everyMs. A new setTimeout per turn cost an allocation per message, and a timer left to
    // fire every everyMs while messages flow costs a wake-up of the process each time.
    else {
      this.chained = 0;
      if (this.timer) this.timer.refresh();
      else this.timer = setTimeout(this.idle, this.o.everyMs);
    }
  };

  private readonly idle = (): void => {
    if (this.stopped || this.queued || this.running) return; // that turn pushes the timer back
    this.wake();
  };
}
