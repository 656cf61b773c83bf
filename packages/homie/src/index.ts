// @mg/homie: Homie 5 for @mg gateways (see README.md). A launcher lists the extension
// (`extensions: [homie]`); the rest of the package is internal.
export { homie } from './extension.js';
export { homieOptions } from './options.js';
export type { HomieOptions } from './options.js';
