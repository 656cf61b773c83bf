// The public surface, locked by package.test.ts: what modbus2mqtt's users, profile authors and
// custom launchers need. The bus, the poll plan and the profile engine's parts stay inside.
export { ModbusInterface } from './modbus-interface.js';
export type { ModbusCounters } from './modbus-interface.js';
export type { ModbusOptions } from './interface/options.js';
export { configFileOf, modbusInterfaceFor } from './interface/launch.js';
export { exceptionName } from './bus/exceptions.js';
export { ModbusError, ModbusExceptionError, ModbusProfileError } from './errors.js';
export type { ModbusErrorCode, ModbusProfileIssue } from './errors.js';
export { compileModbusProfile, loadModbusProfile, shippedModbusProfileNames } from './profile/index.js';
export type { CheckResult, CompiledModbusProfile, ModbusCommand, ModbusPoint, Order, ProfileInput, Table, ValueType } from './profile/index.js';
