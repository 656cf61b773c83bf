import type { JsonValue } from './json.js';

/** How `msg.argument()` reads an argument: presence, default, and an expected type. */
export interface ArgumentOptions {
  /** A missing argument is an error (worded for the sender of the command). */
  required?: boolean;
  /** Returned when the argument is missing (not checked against `type`). */
  default?: JsonValue;
  /**
   * Coerce and check: `number` and `integer` take a JSON number or a numeric string; `boolean`
   * takes true/false, on/off, yes/no, 1/0; `string` takes a string or a number; `enum` one of
   * `values` (case-insensitive; the value as listed is returned).
   */
  type?: 'number' | 'integer' | 'string' | 'boolean' | 'enum';
  /** For `enum`. */
  values?: readonly string[];
  /** Bounds for `number` and `integer`. */
  min?: number;
  max?: number;
}

/** What an argument failed, in words for the sender of the command (it goes into an ERROR reply). */
export type ArgumentCheck = { ok: true; value: JsonValue } | { ok: false; expected: string };

const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0']);

function bounds(o: ArgumentOptions): string {
  if (o.min !== undefined && o.max !== undefined) return ` between ${o.min} and ${o.max}`;
  if (o.min !== undefined) return ` of at least ${o.min}`;
  if (o.max !== undefined) return ` of at most ${o.max}`;
  return '';
}

/** Checks and coerces one argument value against `options.type`. */
export function checkArgument(value: JsonValue, o: ArgumentOptions): ArgumentCheck {
  switch (o.type) {
    case undefined:
      return { ok: true, value };
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      const whole = o.type === 'integer';
      const inRange = (o.min === undefined || n >= o.min) && (o.max === undefined || n <= o.max);
      if (Number.isFinite(n) && (!whole || Number.isInteger(n)) && inRange) return { ok: true, value: n };
      return { ok: false, expected: `${whole ? 'a whole number' : 'a number'}${bounds(o)}` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true, value };
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object matches neither set and is refused below
      const w = String(value).toLowerCase();
      if (TRUE.has(w)) return { ok: true, value: true };
      if (FALSE.has(w)) return { ok: true, value: false };
      return { ok: false, expected: 'true or false (on/off, yes/no, 1/0)' };
    }
    case 'string':
      return typeof value === 'string' || typeof value === 'number' ? { ok: true, value: String(value) } : { ok: false, expected: 'a string' };
    case 'enum': {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object matches no value and is refused below
      const found = (o.values ?? []).find((v) => v.toLowerCase() === String(value).toLowerCase());
      return found !== undefined && (typeof value === 'string' || typeof value === 'number')
        ? { ok: true, value: found }
        : { ok: false, expected: `one of ${(o.values ?? []).join(', ')}` };
    }
  }
}
