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

export interface RequestWaitOptions extends Pick<WaiterOptions, 'match' | 'timeoutMs' | 'consume' | 'what'> {
  signal?: AbortSignal;
  /** Called when the command goes out. */
  written?: () => void;
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

  /**
   * A request: `send` writes the command, calling its `beforeWrite` just before (the waiter and
   * its timeout start there, so time spent queued does not count; `written` is told too). When
   * `signal` aborts, a command still queued is dropped by the queue and a written one stops
   * waiting; both reject with the signal's reason.
   */
  request(send: (beforeWrite: () => void, signal?: AbortSignal) => Promise<void>, o: RequestWaitOptions): Promise<string> {
    const { signal, timeoutMs } = o;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      return Promise.reject(new DeviceOptionError(`request timeoutMs must be a number of milliseconds > 0, got ${String(timeoutMs)}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    let unlink: (() => void) | undefined;
    const answer = new Promise<string>((resolve, reject) => {
      let withdraw: ((err: unknown) => void) | undefined;
      const arm = () => {
        withdraw = this.add({ match: o.match, timeoutMs, consume: o.consume, what: o.what, resolve, reject });
        o.written?.();
      };
      if (signal) {
        const onAbort = () => withdraw?.(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        unlink = () => signal.removeEventListener('abort', onAbort);
      }
      send(arm, signal).catch((err: unknown) => (withdraw ? withdraw(err) : reject(err)));
    });
    return unlink ? answer.finally(unlink) : answer;
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
