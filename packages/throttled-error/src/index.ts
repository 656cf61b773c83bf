export { Throttle, DEFAULT_LAG_MS } from './throttle.js';
export type { Clock, ThrottleOptions, ThrottleVerdict } from './throttle.js';
export { ThrottledError } from './throttled-error.js';
export type { ThrottledErrorCode, ThrottledErrorOptions } from './throttled-error.js';
