import { MgError } from '@mg/errors';
import type { Throttle } from './throttle.js';

/** The code of a ThrottledError made without one; subclasses give their own (`SERIAL_LOST`, ...). */
export type ThrottledErrorCode = 'THROTTLED_ERROR';

export interface ThrottledErrorOptions {
  /** Stable code of the error. Default `THROTTLED_ERROR`. */
  code?: string;
  cause?: unknown;
}

/**
 * An error that knows whether it deserves to be logged: `trigger` is true for the first
 * occurrence of its kind and then at most once per lag; `report` says how many occurred since.
 *
 * ```ts
 * try { connect(); } catch (e) {
 *   const err = new ConnectionError(connectionThrottle, 'broker unreachable', { cause: e });
 *   if (err.trigger) logger.error(err.report);
 * }
 * ```
 */
export class ThrottledError extends MgError {
  readonly trigger: boolean;
  readonly count: number;
  readonly report: string;

  constructor(throttle: Throttle, message: string, options: ThrottledErrorOptions = {}) {
    super(options.code ?? ('THROTTLED_ERROR' satisfies ThrottledErrorCode), message, { cause: options.cause });
    const verdict = throttle.hit(message);
    this.trigger = verdict.trigger;
    this.count = verdict.count;
    this.report = verdict.report;
  }
}
