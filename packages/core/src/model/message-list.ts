import type { InternalMessage } from './message.js';

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A FIFO of messages between the gateway and its interface. `pull()` never blocks: it returns
 * `undefined` when empty (polling interfaces); `for await (const msg of list)` waits for
 * messages (event-driven interfaces) until the list is closed or the signal aborts.
 */
export class MessageList implements AsyncIterable<InternalMessage> {
  /** Most messages held; past it `push` drops the oldest. Default: no limit. */
  readonly limit: number;
  private droppedCount = 0;
  private pullCount = 0;
  private lateCount = 0;
  // A growable ring buffer: push and pull are O(1) with no per-message allocation.
  private items = new Array<InternalMessage | undefined>(16);
  private head = 0;
  private count = 0;
  private waiters: ((value: IteratorResult<InternalMessage>) => void)[] = [];
  private listeners: (() => void)[] = [];
  private closed = false;
  // One low-watermark watcher (the gateway's flow control): checked on every pull, so kept to
  // a field and a comparison rather than a listener list.
  private lowLevel = -1;
  private onLow: (() => void) | undefined;
  private readonly drainedBy: (() => Promise<void>) | undefined;

  constructor(options: { limit?: number; drained?: () => Promise<void> } = {}) {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (!(limit >= 1)) throw new RangeError(`message list limit must be at least 1, got ${limit}`);
    this.limit = limit;
    this.drainedBy = options.drained;
  }

  /** True when the list holds `limit` messages: the next `push` would drop the oldest. */
  get full(): boolean {
    return this.count >= this.limit;
  }

  get size(): number {
    return this.count;
  }

  /** Messages taken out so far (the gateway tells from it whether a polling turn took any). */
  get pulls(): number {
    return this.pullCount;
  }

  /** Messages pushed after `close()`, ignored. */
  get ignoredAfterClose(): number {
    return this.lateCount;
  }

  /** Messages dropped because the list was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * Adds a message; returns false when it was not kept as such: the list was full and its oldest
   * message was dropped, or the list is closed (the gateway has stopped) and the message ignored.
   */
  push(msg: InternalMessage): boolean {
    if (this.closed) {
      // A device callback that fires during shutdown must not crash the gateway.
      this.lateCount += 1;
      return false;
    }
    let kept = true;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter({ value: msg, done: false });
    } else {
      if (this.count >= this.limit) {
        this.shift(); // dropped, not taken: `pulls` counts what the interface took
        this.droppedCount += 1;
        kept = false;
      }
      if (this.count === this.items.length) this.grow();
      this.items[(this.head + this.count) % this.items.length] = msg;
      this.count += 1;
    }
    for (const listener of this.listeners) listener();
    if (waiter) this.handedOut(msg);
    return kept;
  }

  pull(): InternalMessage | undefined {
    if (this.count === 0) return undefined;
    const msg = this.shift()!;
    this.pullCount += 1;
    if (this.count <= this.lowLevel) this.fireLow();
    this.handedOut(msg);
    return msg;
  }

  /**
   * A message left the list for the interface (pulled, or handed to a waiting iterator), once the
   * list's state is settled. Nothing here; the gateway's incoming list acknowledges it then.
   */
  protected handedOut(_msg: InternalMessage): void {}

  /** Takes back the newest message if it is `msg` (not taken yet); false otherwise. */
  protected takeBackNewest(msg: InternalMessage): boolean {
    if (this.count === 0) return false;
    const last = (this.head + this.count - 1) % this.items.length;
    if (this.items[last] !== msg) return false;
    this.items[last] = undefined;
    this.count -= 1;
    return true;
  }

  /** Removes the oldest message (the list is not empty). */
  private shift(): InternalMessage | undefined {
    const msg = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count -= 1;
    return msg;
  }

  /**
   * Calls `listener` once, as soon as the list holds `level` messages or fewer (at once when it
   * already does). A new call replaces the previous watcher. Returns a function that cancels it.
   */
  whenAtMost(level: number, listener: () => void): () => void {
    this.lowLevel = level;
    this.onLow = listener;
    if (this.count <= level) this.fireLow();
    return () => {
      if (this.onLow === listener) {
        this.onLow = undefined;
        this.lowLevel = -1;
      }
    };
  }

  /**
   * Resolves when what was pushed so far has left the gateway (written to the broker's socket,
   * or at least off the gateway's queues): an interface that produces faster than the network
   * takes can `await ctx.outgoing.drained()` between batches. On a list the gateway does not
   * drain, it resolves at once.
   */
  drained(): Promise<void> {
    return this.drainedBy ? this.drainedBy() : Promise.resolve();
  }

  private fireLow(): void {
    const listener = this.onLow;
    this.onLow = undefined;
    this.lowLevel = -1;
    listener?.();
  }

  /** Calls `listener` after every push (the gateway uses it to publish at once in event mode). */
  onPush(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Ends async iteration: waiting iterators finish; `pull()` still returns what is left. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterator<InternalMessage> {
    return { next: () => this.next(), return: () => Promise.resolve(DONE) };
  }

  /** Iterates until `signal` aborts or the list closes; a message pushed later is not lost. */
  until(signal: AbortSignal): AsyncIterable<InternalMessage> {
    return {
      [Symbol.asyncIterator]: () => {
        // One abort listener for the whole iteration, not one per wait: adding and removing
        // listeners on an AbortSignal for every message costs more than the rest of the step.
        let current: ((result: IteratorResult<InternalMessage>) => void) | undefined;
        const onAbort = () => {
          const waiter = current;
          current = undefined;
          if (waiter) {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            waiter(DONE);
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const finish = () => {
          signal.removeEventListener('abort', onAbort);
          return Promise.resolve(DONE);
        };
        return {
          next: () => {
            const msg = this.pull();
            if (msg) return Promise.resolve({ value: msg, done: false });
            if (this.closed || signal.aborted) return finish();
            return new Promise<IteratorResult<InternalMessage>>((resolve) => {
              const waiter = (result: IteratorResult<InternalMessage>) => {
                current = undefined;
                resolve(result);
              };
              current = waiter;
              this.waiters.push(waiter);
            });
          },
          return: finish,
        };
      },
    };
  }

  private next(): Promise<IteratorResult<InternalMessage>> {
    const msg = this.pull();
    if (msg) return Promise.resolve({ value: msg, done: false });
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private grow(): void {
    const bigger = new Array<InternalMessage | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) bigger[i] = this.items[(this.head + i) % this.items.length];
    this.items = bigger;
    this.head = 0;
  }
}
