// The register-profile engine of @mg/interface-modbus: the profile format, its loader, the codec
// of each point and the read planner. The runtime imports only from here (MODBUS-API.md).
export { loadModbusProfile, compileModbusProfile, shippedModbusProfileNames } from './load.js';
export { planReads, splitBatch, decodeBatch } from './planner.js';
export type { ProfileInput } from './schema.js';
export { profileJsonSchema } from './json-schema.js';
export { renderProfileReference } from './reference.js';
export type { Table, ValueType, Order, CheckResult, ModbusPoint, ModbusCommand, CompiledModbusProfile, ReadBatch } from './types.js';
