export { MgError, isMgError, errorMessage } from './mg-error.js';
export type { MgErrorOptions } from './mg-error.js';
