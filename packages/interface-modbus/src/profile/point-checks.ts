/**
 * What a point's keys must agree on beyond their shapes: the table and the type, the bit and the
 * length, the orders, scale and enumeration, and how it is written. Parameter types are
 * structural (not inferred from the schema) to keep the schema's own type free of a cycle.
 */
import { parseAddress } from './address.js';
import { INTEGER_RANGE, REGISTERS } from './codec.js';
import type { Table, ValueType } from './types.js';

interface Ctx {
  addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void;
}

export interface PointShape {
  table?: Table | undefined;
  address: number | string;
  type?: ValueType | undefined;
  length?: number | undefined;
  bit?: number | undefined;
  byteOrder?: string | undefined;
  wordOrder?: string | undefined;
  scale?: number | undefined;
  offset?: number | undefined;
  decimals?: number | undefined;
  noValue?: number[] | undefined;
  enum?: Record<string, string> | undefined;
  write?: true | { fc?: number | undefined; min?: number | undefined; max?: number | undefined; step?: number | undefined } | undefined;
}

const NUMERIC: readonly ValueType[] = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
const isBits = (table: Table) => table === 'coil' || table === 'discrete';

/** The table a point is in (its own, or its register number's), or undefined when it cannot tell. */
export function tableOf(p: Pick<PointShape, 'table' | 'address'>): Table | undefined {
  const parsed = parseAddress(p.address);
  return p.table ?? (parsed.ok ? parsed.table : undefined);
}

/** The type a point reads as: its own, or the default of its table. */
export function typeOf(p: Pick<PointShape, 'type'>, table: Table): ValueType {
  return p.type ?? (isBits(table) ? 'bool' : 'uint16');
}

/** Registers (or bits) a point spans. */
export function countOf(type: ValueType, length: number | undefined, table: Table): number {
  if (isBits(table)) return 1;
  return type === 'string' ? (length ?? 1) : REGISTERS[type];
}

export function checkPoint(p: PointShape, ctx: Ctx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', message, path });
  const parsed = parseAddress(p.address);
  if (!parsed.ok) issue(['address'], parsed.reason);
  else if (p.table && parsed.table && p.table !== parsed.table)
    issue(
      ['table'],
      `is ${p.table}, but the address "${p.address}" is a register number of the ${parsed.table} table: give one of the two, or make them agree`,
    );
  const table = tableOf(p);
  if (!table) {
    if (!parsed.ok) return;
    // 30001 written as a number is protocol address 30001: most likely a register number from a manual.
    const notation = typeof p.address === 'number' ? parseAddress(String(p.address)) : undefined;
    issue(
      ['table'],
      notation?.ok
        ? `is missing; if ${p.address} is the register number of the manual (${notation.table} register ${notation.address}), write it as a string: "${p.address}"`
        : 'is missing: give the table (holding, input, coil or discrete), or write the address as a register number ("40001")',
    );
    return;
  }
  const type = typeOf(p, table);
  if (isBits(table) && type !== 'bool') issue(['type'], `a ${table === 'coil' ? 'coil' : 'discrete input'} holds one bit: its type is bool, not ${type}`);
  if (isBits(table)) for (const key of ['byteOrder', 'wordOrder'] as const) if (p[key] !== undefined) issue([key], `does not apply to ${table} bits`);
  if (type !== 'bit' && p.bit !== undefined) issue(['bit'], `is for type bit only, not ${type}`);
  if (type === 'bit') {
    if (p.bit === undefined) issue(['bit'], 'is missing: which bit of the register, 0 (least significant) to 15');
    else if (p.bit < 0 || p.bit > 15) issue(['bit'], `${p.bit} is not a bit of a register: a register has bits 0 (least significant) to 15`);
  }
  if (type !== 'string' && p.length !== undefined) issue(['length'], `is for type string only (a ${type} spans ${REGISTERS[type]} register(s))`);
  if (type === 'string') {
    if (p.length === undefined) issue(['length'], 'is missing: how many registers the string spans (2 characters each)');
    else if (p.length < 1 || p.length > 125) issue(['length'], `${p.length} registers: a string spans 1 to 125 registers (one read returns at most 125)`);
  }
  const registers = type === 'string' ? (p.length ?? 1) : REGISTERS[type];
  if (p.wordOrder !== undefined && !isBits(table) && registers === 1 && type !== 'string')
    issue(['wordOrder'], `does not apply to a ${type}, which is one register`);
  if (type === 'string' && p.wordOrder !== undefined)
    issue(['wordOrder'], 'does not apply to a string: its registers are read in order (byteOrder swaps the characters of each)');
  if (parsed.ok && parsed.address + countOf(type, p.length, table) > 65536)
    issue(['address'], `the point would end past the last address (65535): it starts at ${parsed.address} and spans ${countOf(type, p.length, table)}`);

  const numeric = NUMERIC.includes(type);
  for (const key of ['scale', 'offset', 'decimals', 'noValue'] as const)
    if (p[key] !== undefined && !numeric) issue([key], `is for numeric types only, not ${type}`);
  if (p.scale !== undefined && (p.scale === 0 || !Number.isFinite(p.scale))) issue(['scale'], 'must be a finite number other than 0');
  if (p.enum !== undefined) checkEnum(p, type, issue);
  if (p.write !== undefined) checkWrite(p, table, type, registers, issue);
}

function checkEnum(p: PointShape, type: ValueType, issue: (path: PropertyKey[], message: string) => void): void {
  const range = INTEGER_RANGE[type];
  if (!range) return issue(['enum'], `is for integer types only (int16, uint16, int32, uint32, int64, uint64), not ${type}`);
  for (const key of ['scale', 'offset', 'decimals'] as const) if (p[key] !== undefined) issue([key], 'does not apply with an enum: the enum gives the values');
  const names = new Map<string, string>();
  for (const [raw, name] of Object.entries(p.enum ?? {})) {
    if (!/^-?\d+$/.test(raw) || BigInt(raw) < range[0] || BigInt(raw) > range[1])
      issue(['enum', raw], `"${raw}" is not a raw value of a ${type} (a whole number from ${range[0]} to ${range[1]})`);
    const other = names.get(name.toLowerCase());
    if (other !== undefined) issue(['enum', raw], `the name "${name}" is also the name of raw value ${other} (names are matched ignoring case)`);
    names.set(name.toLowerCase(), raw);
  }
}

function checkWrite(p: PointShape, table: Table, type: ValueType, registers: number, issue: (path: PropertyKey[], message: string) => void): void {
  if (table === 'input' || table === 'discrete')
    return issue(
      ['write'],
      `${table === 'input' ? 'input registers' : 'discrete inputs'} are read-only in Modbus: a writable point is in holding registers or coils`,
    );
  if (type === 'bit')
    return issue(
      ['write'],
      'a bit of a register cannot be written without rewriting the other 15: make the point a uint16 (or a coil, if the device has one) to write it',
    );
  if (p.write === true || p.write === undefined) return;
  const w = p.write;
  if (w.fc !== undefined) {
    const allowed = table === 'coil' ? [5, 15] : registers === 1 ? [6, 16] : [16];
    if (!allowed.includes(w.fc))
      issue(
        ['write', 'fc'],
        table === 'coil'
          ? `function ${w.fc} does not write coils: use 5 (write single coil) or 15 (write multiple coils)`
          : registers === 1
            ? `function ${w.fc} does not write registers: use 6 (write single register) or 16 (write multiple registers)`
            : `a ${type} spans ${registers} registers: only function 16 (write multiple registers) writes them at once`,
      );
  }
  const numeric = NUMERIC.includes(type) && p.enum === undefined;
  for (const key of ['min', 'max', 'step'] as const)
    if (w[key] !== undefined && !numeric) issue(['write', key], `is for numbers only, not ${p.enum !== undefined ? 'an enum' : type}`);
  if (w.min !== undefined && w.max !== undefined && w.min > w.max) issue(['write', 'max'], `${w.max} is below min (${w.min})`);
}
