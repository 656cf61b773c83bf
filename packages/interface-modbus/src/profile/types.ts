/**
 * The compiled profile as the runtime sees it (the contract of MODBUS-API.md): points with their
 * codec, the commands they take, the capabilities a gateway declares, and read batches.
 */
import type { JsonValue } from '@mg/core';
import type { Capability, PublishPolicy } from '@mg/core/devices';

export type Table = 'holding' | 'input' | 'coil' | 'discrete';
export type ValueType = 'bool' | 'bit' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64' | 'string';
/** Order of the bytes in a register, and of the registers in a value: "big" is most significant first. */
export type Order = 'big' | 'little';

/** What a checked write holds, or why it was refused (worded for the MQTT sender). */
export type CheckResult = { ok: true; value: JsonValue } | { ok: false; reason: string };

export interface ModbusPoint {
  /** Unique in the profile (`voltage-l1`). */
  readonly id: string;
  /** What people call it ("Voltage L1"). */
  readonly name: string;
  readonly table: Table;
  /** 0-based protocol address (4xxxx/3xxxx notation converted). */
  readonly address: number;
  /** Registers (holding/input) or bits (coil/discrete) it spans. */
  readonly count: number;
  readonly type: ValueType;
  /** Its poll interval (own, group's, or the profile default). */
  readonly intervalMs: number;
  /** The group it belongs to, if any. */
  readonly group?: string;
  /** The status action its value is published with (`VOLTAGE_L1`). */
  readonly action: string;
  /** The argument carrying the value (default `value`). */
  readonly argument: string;
  readonly unit?: string;
  /** The policy of the statuses that carry it (profile's, group's, then its own keys). */
  readonly publish?: PublishPolicy;
  /** How it is written (absent: read-only). */
  readonly write?: { readonly action: string; readonly fc: 5 | 6 | 15 | 16 };
  /** Its enumeration, name by raw value, when it has one. */
  readonly enumeration?: ReadonlyMap<number, string>;
  /** Where it is in the profile (`points[3]`), for messages. */
  readonly path: string;
  /** The value of the point from its slice of a read (words: uint16 0..65535; bits: booleans). Throws ModbusError MODBUS_BAD_ANSWER on garbage. */
  decode(raw: readonly number[] | readonly boolean[]): JsonValue;
  /** Checks a written value against type, range, step and enumeration; the reason is worded for the MQTT sender. */
  check(value: unknown): CheckResult;
  /** The words (holding) or bits (coil) to write for a checked value. */
  encode(value: JsonValue): number[] | boolean[];
}

/** What an internal command action does. */
export interface ModbusCommand {
  readonly point: ModbusPoint;
  /** A fixed value (COIL_ON -> true); else the value is read from `argument`. */
  readonly value?: JsonValue;
  /** The command argument carrying the value. */
  readonly argument?: string;
}

export interface CompiledModbusProfile {
  readonly name: string;
  readonly description: string;
  readonly maker?: string;
  readonly model?: string;
  readonly points: readonly ModbusPoint[];
  /** Key: internal action. */
  readonly commands: ReadonlyMap<string, ModbusCommand>;
  /** Core's capabilities, for describe(): the profile's own, or derived from its points. */
  readonly capabilities: readonly Capability[];
  /** Whether the capabilities were derived from the points (the profile declares none). */
  readonly derivedCapabilities: boolean;
  /** Where it was loaded from (a file path). */
  readonly file: string;
}

/** One read: a range of one table and the points it covers. */
export interface ReadBatch {
  readonly table: Table;
  readonly address: number;
  readonly count: number;
  readonly points: readonly ModbusPoint[];
}
