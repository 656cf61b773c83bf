import { DeviceOptionError, messageOf, RequestMatchError, RequestTimeoutError } from './errors.js';
import { duration } from './logger.js';

/** What an answer looks like: a regular expression it matches, or a test. */
export type AnswerMatch = RegExp | ((line: string) => boolean);

export interface WaiterOptions {
  match: AnswerMatch;
  timeoutMs: number;
  /** True: the answer goes to the requester only; false: to the `line` event as well. */
  consume: boolean;
  /** Words for the timeout message: `no answer from <what> within ... ms`. */
  what: string;
  resolve: (line: string) => void;
  reject: (err: unknown) => void;
}

interface Waiter extends WaiterOptions {
  test: (line: string) => boolean;
  timer: NodeJS.Timeout;
}

/**
 * Requests waiting for their answer, oldest first. Each incoming line is offered to them; the
 * oldest one whose match accepts it takes it. Every waiter has a timer, so the list only holds
 * what was sent within the last timeout.
 */
export class RequestMatcher {
  private waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /** Starts waiting (and the timeout); returns a function that withdraws the waiter. */
  add(options: WaiterOptions): (err: unknown) => void {
    const { match, timeoutMs } = options;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new DeviceOptionError(`request timeoutMs must be a number of milliseconds > 0, got ${String(timeoutMs)}`);
    }
    // `search` ignores lastIndex, so a /g or /y expression gives the same verdict every time.
    const test = match instanceof RegExp ? (line: string) => line.search(match) >= 0 : match;
    const waiter: Waiter = {
      ...options,
      test,
      timer: setTimeout(() => {
        this.remove(waiter);
        options.reject(
          new RequestTimeoutError(`no answer from ${options.what} within ${timeoutMs} ms`, {
            reason: `no answer from the device within ${duration(timeoutMs)}`,
          }),
        );
      }, timeoutMs),
    };
    this.waiters.push(waiter);
    return (err) => {
      if (this.remove(waiter)) options.reject(err);
    };
  }

  /** Offers a line to the waiters; true when one took it and consumes it. */
  offer(line: string): boolean {
    // A copy: a match function that throws removes its waiter during the loop.
    for (const waiter of [...this.waiters]) {
      let matched: boolean;
      try {
        matched = waiter.test(line);
      } catch (cause) {
        this.remove(waiter);
        waiter.reject(new RequestMatchError(`the match function of a request to ${waiter.what} threw: ${messageOf(cause)}`, { cause }));
        continue;
      }
      if (!matched) continue;
      this.remove(waiter);
      waiter.resolve(line);
      return waiter.consume;
    }
    return false;
  }

  /** Rejects every waiter (disconnection, stop). */
  rejectAll(err: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
  }

  private remove(waiter: Waiter): boolean {
    const at = this.waiters.indexOf(waiter);
    if (at < 0) return false;
    clearTimeout(waiter.timer);
    this.waiters.splice(at, 1);
    return true;
  }
}
