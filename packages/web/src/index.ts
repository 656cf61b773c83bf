// @mg/web: a status page, health checks, Prometheus metrics and a JSON API for every @mg gateway,
// served by the gateway itself. A launcher lists the extension (`extensions: [web]`); the rest
// of the package is internal.
export { web } from './extension.js';
export { webOptions } from './options.js';
export type { WebOptionShape } from './options.js';
export { WebError } from './errors.js';
export type { WebErrorCode } from './errors.js';
