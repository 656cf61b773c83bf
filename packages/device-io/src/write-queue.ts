import { performance } from 'node:perf_hooks';
import { DeviceOptionError, WriteQueueFullError } from './errors.js';

/** Hands bytes to the socket or port; resolves once they are written. */
export type WriteSink = (bytes: Buffer) => Promise<void>;

export interface WriteQueueOptions {
  /** Least time from the end of one write to the start of the next, ms. Default 0. */
  spacingMs?: number;
  /** Writes that may wait their turn (the one being written not counted). Default 100. */
  maxQueued?: number;
  /** Monotonic time in ms. Default `performance.now`. */
  now?: () => number;
  /** Names the device in the "queue full" message. */
  name?: string;
}

interface Item {
  bytes: Buffer;
  beforeWrite: (() => void) | undefined;
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Stops listening to the caller's signal once the item leaves the queue. */
  unlink: (() => void) | undefined;
}

const DEFAULT_MAX_QUEUED_WRITES = 100;

/**
 * Writes one at a time, in order, with at least `spacingMs` between them: device protocols
 * drop commands that come too close (a Denon receiver wants 50 ms). Bounded: when `maxQueued`
 * writes already wait, the next one is rejected at once rather than queued.
 */
export class WriteQueue {
  readonly spacingMs: number;
  readonly maxQueued: number;
  private readonly now: () => number;
  private readonly name: string;
  private items: Item[] = [];
  private busy = false;
  private timer: NodeJS.Timeout | undefined;
  private lastEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: WriteSink,
    options: WriteQueueOptions = {},
  ) {
    this.spacingMs = options.spacingMs ?? 0;
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_WRITES;
    if (!Number.isFinite(this.spacingMs) || this.spacingMs < 0) {
      throw new DeviceOptionError(`spacingMs must be a finite number of milliseconds >= 0, got ${String(options.spacingMs)}`);
    }
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 1) {
      throw new DeviceOptionError(`maxQueuedWrites must be a whole number >= 1, got ${String(options.maxQueued)}`);
    }
    this.now = options.now ?? (() => performance.now());
    this.name = options.name ?? 'the device';
  }

  /** Writes waiting their turn. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Queues bytes; resolves when they are written, rejects with the sink's error or with
   * WriteQueueFullError. `beforeWrite` runs just before the bytes go out (a request arms its
   * answer timeout there, so time spent queued does not count against it). When `signal`
   * aborts while the bytes still wait, they are dropped and the promise rejects with its
   * reason; once they are being written, the signal is ignored.
   */
  enqueue(bytes: Buffer, beforeWrite?: () => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    if (this.items.length >= this.maxQueued) {
      return Promise.reject(
        new WriteQueueFullError(
          `write queue for ${this.name} is full (${this.maxQueued} writes waiting, ${this.spacingMs} ms apart): ` +
            'commands come faster than the device takes them; send fewer or raise maxQueuedWrites',
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const item: Item = { bytes, beforeWrite, resolve, reject, unlink: undefined };
      if (signal) {
        const onAbort = () => {
          const at = this.items.indexOf(item);
          if (at < 0) return;
          this.items.splice(at, 1);
          reject(signal.reason as unknown);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        item.unlink = () => signal.removeEventListener('abort', onAbort);
      }
      this.items.push(item);
      this.kick();
    });
  }

  /** Rejects every waiting write with `err` (disconnection, stop); the one being written finishes. */
  clear(err: unknown): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items;
    this.items = [];
    for (const item of items) {
      item.unlink?.();
      item.reject(err);
    }
  }

  private kick(): void {
    if (this.busy || this.timer || this.items.length === 0) return;
    const wait = this.lastEnd + this.spacingMs - this.now();
    if (wait > 0) {
      // Checked again on wake-up: a timer may fire a fraction of a millisecond early.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, Math.ceil(wait));
      return;
    }
    const item = this.items.shift()!;
    item.unlink?.();
    this.busy = true;
    let written: Promise<void>;
    try {
      item.beforeWrite?.();
      written = this.sink(item.bytes);
    } catch (err) {
      written = Promise.reject(err);
    }
    written.then(item.resolve, item.reject).finally(() => {
      this.busy = false;
      this.lastEnd = this.now();
      this.kick();
    });
  }
}
