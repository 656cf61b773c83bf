// The simulated devices' state, shared by the Modbus simulator's two processes (plain data, so it
// crosses IPC and survives a restart).

export type ModbusSimTable = 'holding' | 'input' | 'coil' | 'discrete';

/** One simulated device: its tables and the addresses it does not have. */
export interface ModbusSimUnit {
  /** Raw uint16 words by 0-based address; an address not listed reads 0. */
  holding?: Record<number, number>;
  input?: Record<number, number>;
  coils?: Record<number, boolean>;
  discrete?: Record<number, boolean>;
  /** Addresses that do not exist (`from`..`to`, both included): a request touching one answers ILLEGAL DATA ADDRESS (2). */
  holes?: Array<{ table: ModbusSimTable; from: number; to: number }>;
}

/** A request as the simulator received it (`at`: Date.now() in the server process). */
export interface ModbusSimRequest {
  unit: number;
  fc: number;
  address: number;
  count: number;
  at: number;
}

interface ModbusSimFault {
  code: number;
  where?: { table: ModbusSimTable; address: number };
}

/** A unit with what the tests set on it (silence, exceptions), as the server process keeps it. */
export interface UnitState {
  unit: ModbusSimUnit;
  silent: boolean;
  faults: ModbusSimFault[];
}

export type SimState = Record<number, UnitState>;

/** What the server does with a request. */
export type Verdict = { silent: true } | { code: number } | { ok: true };

// Protocol limits (Modbus application protocol 1.1b3, 6.1-6.12): beyond them a device answers
// ILLEGAL DATA VALUE, which is what a gateway planning too big a read must meet here.
const MAX_READ_REGISTERS = 125;
const MAX_WRITE_REGISTERS = 123;
const ILLEGAL_DATA_ADDRESS = 2;
const ILLEGAL_DATA_VALUE = 3;

const isWords = (table: ModbusSimTable) => table === 'holding' || table === 'input';
const tableKey = (table: ModbusSimTable) => (table === 'coil' ? 'coils' : table);

/** Checks a table name, a word or bit list, and an address range; throws a message naming what is wrong. */
export function checkValues(table: ModbusSimTable, address: number, values: readonly unknown[]): void {
  if (!['holding', 'input', 'coil', 'discrete'].includes(table)) throw new Error(`unknown Modbus table '${String(table)}' (holding, input, coil or discrete)`);
  if (!Number.isInteger(address) || address < 0 || address + values.length > 0x10000)
    throw new Error(`address ${address} (+${values.length}) is outside 0..65535`);
  values.forEach((v, i) => {
    if (isWords(table) ? !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff) : typeof v !== 'boolean')
      throw new Error(`${table} ${address + i}: ${JSON.stringify(v)} is not ${isWords(table) ? 'a uint16 word (0..65535)' : 'a boolean'}`);
  });
}

/** The state of a unit from its description (copied: the caller's object is left alone). */
export function unitState(unit: ModbusSimUnit): UnitState {
  for (const table of ['holding', 'input', 'coil', 'discrete'] as const) {
    const bank = unit[tableKey(table)] ?? {};
    for (const [address, value] of Object.entries(bank)) checkValues(table, Number(address), [value]);
  }
  return { unit: JSON.parse(JSON.stringify(unit)) as ModbusSimUnit, silent: false, faults: [] };
}

/** The register banks of every unit, and what the server answers to a request. */
export class Banks {
  constructor(private readonly state: SimState) {}

  snapshot(): SimState {
    return this.state;
  }

  private get(unit: number): UnitState {
    const u = this.state[unit];
    if (!u) throw new Error(`unit ${unit} is not simulated (units: ${Object.keys(this.state).join(', ')})`);
    return u;
  }

  /** What to do with a request to `unit` for `count` items of `table` from `address`. */
  verdict(unit: number, table: ModbusSimTable, address: number, count: number, write = false): Verdict {
    const u = this.state[unit];
    // A unit that is not on the bus, like a silenced one, does not answer: the client times out.
    if (!u || u.silent) return { silent: true };
    const end = address + count;
    const fault = u.faults.find((f) => !f.where || (f.where.table === table && f.where.address >= address && f.where.address < end));
    if (fault) return { code: fault.code };
    if (isWords(table) && count > (write ? MAX_WRITE_REGISTERS : MAX_READ_REGISTERS)) return { code: ILLEGAL_DATA_VALUE };
    if (end > 0x10000 || (u.unit.holes ?? []).some((h) => h.table === table && h.from < end && h.to >= address)) return { code: ILLEGAL_DATA_ADDRESS };
    return { ok: true };
  }

  read(unit: number, table: ModbusSimTable, address: number, count: number): number[] | boolean[] {
    const bank = this.get(unit).unit[tableKey(table)] ?? {};
    const at = (i: number) => (bank as Record<number, number | boolean>)[address + i];
    return isWords(table)
      ? Array.from({ length: count }, (_, i) => (at(i) as number | undefined) ?? 0)
      : Array.from({ length: count }, (_, i) => (at(i) as boolean | undefined) ?? false);
  }

  set(unit: number, table: ModbusSimTable, address: number, values: readonly (number | boolean)[]): void {
    checkValues(table, address, values);
    const u = this.get(unit).unit;
    const bank = (u[tableKey(table)] ??= {}) as Record<number, number | boolean>;
    values.forEach((v, i) => (bank[address + i] = v));
  }

  silence(unit: number, silent: boolean): void {
    this.get(unit).silent = silent;
  }

  /** Adds an exception (code 0: clears the one at `where`, or all of the unit's without `where`). */
  fail(unit: number, code: number, where?: { table: ModbusSimTable; address: number }): void {
    const u = this.get(unit);
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`Modbus exception code ${code} is not 0..255`);
    const same = (f: ModbusSimFault) => f.where?.table === where?.table && f.where?.address === where?.address;
    if (code === 0) u.faults = where ? u.faults.filter((f) => !same(f)) : [];
    else u.faults = [...u.faults.filter((f) => !same(f)), where ? { code, where: { ...where } } : { code }];
  }
}

/** Unit, function, address and count of a request PDU that starts with the unit id (RTU, or TCP without its MBAP header). */
export function requestOf(frame: Buffer, at: number): ModbusSimRequest | undefined {
  if (frame.length < 2) return undefined;
  const fc = frame[1] ?? 0;
  const address = frame.length >= 4 ? frame.readUInt16BE(2) : 0;
  const count = [1, 2, 3, 4, 15, 16].includes(fc) && frame.length >= 6 ? frame.readUInt16BE(4) : fc === 5 || fc === 6 ? 1 : 0;
  return { unit: frame[0] ?? 0, fc, address, count, at };
}
