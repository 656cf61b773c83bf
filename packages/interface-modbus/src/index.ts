// The public surface, locked by package.test.ts (added with the interface).
export { ModbusError, ModbusProfileError } from './errors.js';
export type { ModbusErrorCode, ModbusProfileIssue } from './errors.js';
