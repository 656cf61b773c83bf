/**
 * Published value <-> raw value for one point: scale, offset, rounding, enumerations and the
 * "no reading" values when reading; type, range, step and enumeration checks when writing, with
 * reasons worded for the person who sent the MQTT command.
 */
import type { JsonValue } from '@mg/core';
import { INTEGER_RANGE, type RawValue } from './codec.js';
import type { CheckResult, ValueType } from './types.js';

export interface ValueRules {
  readonly id: string;
  readonly type: ValueType;
  /** Registers it spans (a string holds twice as many characters). */
  readonly registers: number;
  readonly scale?: number | undefined;
  readonly offset?: number | undefined;
  readonly decimals?: number | undefined;
  readonly noValue?: readonly number[] | undefined;
  readonly enumeration?: ReadonlyMap<number, string> | undefined;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly step?: number | undefined;
}

const FLOAT32_MAX = 3.4028234663852886e38;
const TRUE = new Set(['on', 'true', '1']);
const FALSE = new Set(['off', 'false', '0']);
const shown = (value: unknown) => (value === undefined ? 'nothing' : (JSON.stringify(value) ?? `a ${typeof value}`).slice(0, 40));
/** Rounded to `digits` significant digits: float noise (230.50000000000003) is not part of a reading. */
const significant = (n: number, digits: number) => (n === 0 ? 0 : Number(n.toPrecision(digits)));
const isScaled = (r: ValueRules) => (r.scale !== undefined && r.scale !== 1) || (r.offset !== undefined && r.offset !== 0);

/** The published value of a raw value. */
export function toPublished(r: ValueRules, raw: RawValue): JsonValue {
  if (typeof raw === 'boolean' || typeof raw === 'string') return raw;
  // A float NaN or infinity is what meters send for a value they do not have (a phase not wired):
  // no reading, not garbage.
  if (typeof raw === 'number' && !Number.isFinite(raw)) return null;
  if (r.noValue?.some((v) => (typeof raw === 'bigint' ? Number.isInteger(v) && BigInt(v) === raw : v === raw))) return null;
  if (r.enumeration) {
    const name = r.enumeration.get(Number(raw));
    if (name !== undefined) return name;
  }
  if (typeof raw === 'bigint' && !isScaled(r))
    return raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(raw) : raw.toString();
  let value = Number(raw) * (r.scale ?? 1) + (r.offset ?? 0);
  if (r.decimals !== undefined) value = Number(value.toFixed(r.decimals));
  else if (r.type === 'float32') value = significant(value, 7);
  else if (isScaled(r) || r.type === 'float64') value = significant(value, r.type === 'float64' ? 15 : 12);
  return Object.is(value, -0) ? 0 : value;
}

function checkBool(r: ValueRules, value: unknown): CheckResult {
  if (typeof value === 'boolean') return { ok: true, value };
  const text = typeof value === 'number' || typeof value === 'string' ? String(value).toLowerCase() : undefined;
  if (text !== undefined && TRUE.has(text)) return { ok: true, value: true };
  if (text !== undefined && FALSE.has(text)) return { ok: true, value: false };
  return { ok: false, reason: `${r.id} expects on or off (true/false, 1/0), got ${shown(value)}` };
}

function checkEnum(r: ValueRules, enumeration: ReadonlyMap<number, string>, value: unknown): CheckResult {
  const names = [...enumeration.values()];
  if (typeof value === 'string') {
    const name = names.find((n) => n.toLowerCase() === value.trim().toLowerCase());
    if (name !== undefined) return { ok: true, value: name };
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
  if (n !== undefined && enumeration.has(n)) return { ok: true, value: enumeration.get(n)! };
  return { ok: false, reason: `${r.id} expects one of ${names.join(', ')}, got ${shown(value)}` };
}

function checkString(r: ValueRules, value: unknown): CheckResult {
  if (typeof value !== 'string') return { ok: false, reason: `${r.id} expects text, got ${shown(value)}` };
  // eslint-disable-next-line no-control-regex -- latin1 is what a register pair holds, one byte a character
  if (!/^[\u0000-\u00ff]*$/.test(value)) return { ok: false, reason: `${r.id} takes latin1 characters only (one byte each), got ${shown(value)}` };
  if (value.length > r.registers * 2) return { ok: false, reason: `${r.id} holds at most ${r.registers * 2} characters, got ${value.length}` };
  return { ok: true, value };
}

function domain(r: ValueRules): string {
  const range =
    r.min !== undefined && r.max !== undefined
      ? ` from ${r.min} to ${r.max}`
      : r.min !== undefined
        ? ` of at least ${r.min}`
        : r.max !== undefined
          ? ` of at most ${r.max}`
          : '';
  return `a number${range}${r.step !== undefined ? ` in steps of ${r.step}` : ''}`;
}

/** Whether `value` is min (or 0) plus a whole number of steps, allowing for decimal fractions' float error. */
function onStep(value: number, base: number, step: number): boolean {
  const steps = (value - base) / step;
  return Math.abs(steps - Math.round(steps)) < 1e-9 * Math.max(1, Math.abs(steps));
}

/** The raw value for a checked published number, or why there is none. */
function rawOf(r: ValueRules, value: number | string): { ok: true; raw: RawValue } | { ok: false; reason: string } {
  const range = INTEGER_RANGE[r.type];
  // A 64-bit integer beyond 2^53 arrives as a decimal string and is written exactly.
  if (typeof value === 'string') {
    const big = BigInt(value);
    return range && big >= range[0] && big <= range[1] ? { ok: true, raw: big } : { ok: false, reason: `${r.id}: ${value} does not fit a ${r.type}` };
  }
  let raw = (value - (r.offset ?? 0)) / (r.scale ?? 1);
  if (!range) {
    if (r.type === 'float32' && Math.abs(raw) > FLOAT32_MAX) return { ok: false, reason: `${r.id}: ${value} does not fit a float32` };
    return { ok: true, raw };
  }
  const rounded = Math.round(raw);
  if (Math.abs(raw - rounded) > 1e-9 * Math.max(1, Math.abs(raw)))
    return { ok: false, reason: `${r.id} cannot hold ${value}: its steps are ${Math.abs(r.scale ?? 1)}${r.offset ? ` from ${r.offset}` : ''}` };
  raw = rounded;
  if (!Number.isSafeInteger(raw) || BigInt(raw) < range[0] || BigInt(raw) > range[1])
    return { ok: false, reason: `${r.id}: ${value} is out of the range of the register (${r.type})` };
  return { ok: true, raw: range[1] > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(raw) : raw };
}

function checkNumber(r: ValueRules, value: unknown): CheckResult {
  const bigText = typeof value === 'string' && /^-?\d{16,}$/.test(value.trim()) && !isScaled(r) && INTEGER_RANGE[r.type] ? value.trim() : undefined;
  if (bigText !== undefined && !Number.isSafeInteger(Number(bigText))) {
    const big = BigInt(bigText);
    if ((r.min !== undefined && big < BigInt(Math.ceil(r.min))) || (r.max !== undefined && big > BigInt(Math.floor(r.max))))
      return { ok: false, reason: `${r.id} expects ${domain(r)}, got ${bigText}` };
    const raw = rawOf(r, bigText);
    return raw.ok ? { ok: true, value: bigText } : { ok: false, reason: raw.reason };
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) return { ok: false, reason: `${r.id} expects ${domain(r)}, got ${shown(value)}` };
  if ((r.min !== undefined && n < r.min) || (r.max !== undefined && n > r.max)) return { ok: false, reason: `${r.id} expects ${domain(r)}, got ${n}` };
  if (r.step !== undefined && !onStep(n, r.min ?? 0, r.step)) return { ok: false, reason: `${r.id} expects ${domain(r)}, got ${n}, which is off the steps` };
  const raw = rawOf(r, n);
  return raw.ok ? { ok: true, value: n } : { ok: false, reason: raw.reason };
}

/** A written value checked against the point's type, range, step and enumeration. */
export function checkWritten(r: ValueRules, value: unknown): CheckResult {
  if (r.type === 'bool' || r.type === 'bit') return checkBool(r, value);
  if (r.type === 'string') return checkString(r, value);
  if (r.enumeration) return checkEnum(r, r.enumeration, value);
  return checkNumber(r, value);
}

/** The raw value of a checked value (a name of the enumeration becomes its number). */
export function rawOfChecked(r: ValueRules, value: JsonValue): RawValue {
  if (typeof value === 'boolean') return value;
  if (r.type === 'string') return typeof value === 'string' ? value : JSON.stringify(value);
  if (r.enumeration && typeof value === 'string') {
    for (const [raw, name] of r.enumeration) if (name === value) return INTEGER_RANGE[r.type]![1] > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(raw) : raw;
  }
  const raw = rawOf(r, typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value));
  if (!raw.ok) throw new RangeError(raw.reason);
  return raw.raw;
}
