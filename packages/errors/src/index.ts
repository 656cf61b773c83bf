export { MgError, isMgError, errorMessage, fileErrorReason } from './mg-error.js';
export type { MgErrorOptions } from './mg-error.js';
