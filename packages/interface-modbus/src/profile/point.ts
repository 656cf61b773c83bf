import type { JsonValue } from '@mg/core';
import type { PublishPolicy } from '@mg/core/devices';
import { ModbusError } from '../errors.js';
import { parseAddress } from './address.js';
import { bytesToWords, readRaw, wordsToBytes, writeRaw, type Layout } from './codec.js';
import { defaultAction, defaultName, DEFAULT_ARGUMENT, commandActions } from './names.js';
import { countOf, tableOf, typeOf } from './point-checks.js';
import type { PointDefinition, Profile } from './schema.js';
import type { CheckResult, ModbusPoint, Order, Table, ValueType } from './types.js';
import { checkWritten, rawOfChecked, toPublished, type ValueRules } from './value-rules.js';

const isBits = (table: Table) => table === 'coil' || table === 'discrete';

/** Keys set in later layers win; undefined when no layer sets any. */
export function mergePolicy(...layers: (PublishPolicy | undefined)[]): PublishPolicy | undefined {
  const set = layers.filter((l): l is PublishPolicy => l !== undefined);
  return set.length === 0 ? undefined : (Object.assign({}, ...set) as PublishPolicy);
}

function badAnswer(point: { id: string; table: Table; address: number }, what: string): ModbusError {
  return new ModbusError('MODBUS_BAD_ANSWER', `${point.id} (${point.table} ${point.address}): ${what}`);
}

/** A point of a validated profile, ready to decode reads and check and encode writes. Stateless. */
class CompiledPoint implements ModbusPoint {
  readonly id: string;
  readonly name: string;
  readonly table: Table;
  readonly address: number;
  readonly count: number;
  readonly type: ValueType;
  readonly intervalMs: number;
  readonly group?: string;
  readonly action: string;
  readonly argument: string;
  readonly unit?: string;
  readonly publish?: PublishPolicy;
  readonly write?: { readonly action: string; readonly fc: 5 | 6 | 15 | 16 };
  readonly enumeration?: ReadonlyMap<number, string>;
  readonly path: string;
  /** The commands it takes beyond write.action: `<ACTION>_ON` / `_OFF` for a bool. */
  readonly switchActions?: { readonly on: string; readonly off: string };
  /** Range and step of a write, in the published unit. */
  readonly limits: { readonly min?: number; readonly max?: number; readonly step?: number };
  private readonly rules: ValueRules;
  private readonly layout: Layout;
  private readonly bit: number;

  constructor(def: PointDefinition, profile: Profile, index: number) {
    const parsed = parseAddress(def.address);
    const table = tableOf(def);
    // The schema refused both already: this only fires if its checks and the compiler ever disagree.
    if (!parsed.ok || !table) throw new Error(`points[${index}]: address or table unchecked`);
    const group = def.group === undefined ? undefined : profile.groups[def.group];
    this.id = def.id;
    this.name = def.name ?? defaultName(def.id);
    this.path = `points[${index}]`;
    this.table = table;
    this.address = parsed.address;
    this.type = typeOf(def, table);
    this.count = countOf(this.type, def.length, table);
    this.intervalMs = Math.round((def.pollSeconds ?? group?.pollSeconds ?? profile.pollSeconds) * 1000);
    if (def.group !== undefined) this.group = def.group;
    this.action = def.action ?? defaultAction(def.id);
    this.argument = def.argument ?? DEFAULT_ARGUMENT;
    if (def.unit !== undefined) this.unit = def.unit;
    const publish = mergePolicy(profile.publish, group?.publish, def.publish);
    if (publish) this.publish = publish;
    if (def.enum) this.enumeration = new Map(Object.entries(def.enum).map(([raw, name]) => [Number(raw), name]));
    this.layout = {
      byteOrder: def.byteOrder ?? group?.byteOrder ?? profile.byteOrder,
      wordOrder: def.wordOrder ?? group?.wordOrder ?? profile.wordOrder,
    } satisfies Record<string, Order>;
    this.bit = def.bit ?? 0;
    const w = def.write === true ? {} : def.write;
    this.limits = { ...(w?.min !== undefined && { min: w.min }), ...(w?.max !== undefined && { max: w.max }), ...(w?.step !== undefined && { step: w.step }) };
    if (w) {
      const actions = commandActions(this.action, w.action, this.type === 'bool');
      const fc: 5 | 6 | 15 | 16 = w.fc ?? (table === 'coil' ? 5 : this.count === 1 ? 6 : 16);
      this.write = { action: actions.set, fc };
      if (actions.on && actions.off) this.switchActions = { on: actions.on, off: actions.off };
    }
    this.rules = {
      id: this.id,
      type: this.type,
      registers: this.count,
      scale: def.scale,
      offset: def.offset,
      decimals: def.decimals,
      noValue: def.noValue,
      enumeration: this.enumeration,
      ...this.limits,
    };
  }

  decode(raw: readonly number[] | readonly boolean[]): JsonValue {
    if (raw.length !== this.count) throw badAnswer(this, `expected ${this.count} ${isBits(this.table) ? 'bit' : 'register'}(s), got ${raw.length}`);
    if (isBits(this.table)) {
      if (typeof raw[0] !== 'boolean') throw badAnswer(this, `expected a bit, got ${String(raw[0])}`);
      return raw[0];
    }
    const words = raw as readonly unknown[];
    const bad = words.find((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 0xffff);
    if (bad !== undefined) throw badAnswer(this, `${JSON.stringify(bad) ?? typeof bad} is not a register value (0 to 65535)`);
    return toPublished(this.rules, readRaw(this.type, wordsToBytes(words as number[], this.layout), this.bit));
  }

  check(value: unknown): CheckResult {
    if (!this.write) return { ok: false, reason: `${this.id} cannot be written` };
    return checkWritten(this.rules, value);
  }

  encode(value: JsonValue): number[] | boolean[] {
    const raw = rawOfChecked(this.rules, value);
    if (isBits(this.table)) return [raw === true];
    return bytesToWords(writeRaw(this.type, raw, this.count), this.layout);
  }
}

export { CompiledPoint };
