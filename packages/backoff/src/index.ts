export { Backoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
