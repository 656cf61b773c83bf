import type { CapabilityValue } from '@mg/core';
import { formatFloat, type PropertyDescription } from './property.js';

/**
 * MQTT treats an empty payload as "delete the retained message", so Homie 5 writes the empty
 * string as one NUL byte (convention 5, "Empty string values").
 */
export const EMPTY_STRING = '\u0000';

interface Range {
  min?: number;
  max?: number;
  step?: number;
}

function rangeOf(format: string | undefined): Range {
  if (!format) return {};
  const [min, max, step] = format.split(':').map((s) => (s === '' ? undefined : Number(s)));
  return { min, max, step };
}

/**
 * Rounds to the nearest step, from min (or max, or the value itself), then checks the bounds:
 * the order the convention gives ("The min/max validation must be done after rounding").
 */
function fit(value: number, format: string | undefined, integer: boolean): number | string {
  const { min, max, step } = rangeOf(format);
  let v = value;
  if (step !== undefined && step > 0) {
    const base = min ?? max ?? value;
    v = Math.round((value - base) / step) * step + base;
    // 0.1 + 0.2: keep the digits the step has, not the float noise.
    const decimals = (String(step).split('.')[1] ?? '').length + (String(base).split('.')[1] ?? '').length;
    v = Number(v.toFixed(Math.min(decimals, 15)));
  }
  if (integer) v = Math.round(v);
  if ((min !== undefined && v < min) || (max !== undefined && v > max)) return `${value} is outside ${min ?? ''}:${max ?? ''}`;
  return v;
}

/** The payload of a value on the property topic, or a reason why it cannot be published as that datatype. */
export function formatValue(p: PropertyDescription, value: CapabilityValue): { ok: true; payload: string } | { ok: false; reason: string } {
  switch (p.datatype) {
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, payload: value ? 'true' : 'false' }
        : { ok: false, reason: `expects a boolean, got ${JSON.stringify(value)}` };
    case 'integer':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: `expects a number, got ${JSON.stringify(value)}` };
      const v = fit(value, p.format, p.datatype === 'integer');
      if (typeof v === 'string') return { ok: false, reason: v };
      return { ok: true, payload: p.datatype === 'integer' ? String(v) : formatFloat(v) };
    }
    case 'enum': {
      const text = String(value);
      return p.format?.split(',').includes(text) ? { ok: true, payload: text } : { ok: false, reason: `${JSON.stringify(text)} is not one of ${p.format}` };
    }
    case 'string': {
      const text = String(value);
      return { ok: true, payload: text === '' ? EMPTY_STRING : text };
    }
  }
}

const INTEGER = /^-?\d+$/;
// Convention 5, "Float": digits, one ".", "-", an exponent; no "+", no spaces, no NaN or Infinity.
// A "+" in the exponent is taken as well: that is what JavaScript and many others write.
const FLOAT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * The value a `/set` payload asks for, checked against the property's datatype and format, or
 * a reason for the log. A trigger's payload (`press`) comes back as is: the caller drops it.
 */
export function parseValue(p: PropertyDescription, payload: string): { ok: true; value: CapabilityValue } | { ok: false; reason: string } {
  const bad = (expected: string) => ({ ok: false as const, reason: `expects ${expected}, got ${JSON.stringify(payload)}` });
  switch (p.datatype) {
    case 'boolean':
      return payload === 'true' ? { ok: true, value: true } : payload === 'false' ? { ok: true, value: false } : bad('true or false');
    case 'integer':
    case 'float': {
      if (!(p.datatype === 'integer' ? INTEGER : FLOAT).test(payload)) return bad(`${p.datatype === 'integer' ? 'an integer' : 'a float'}`);
      const v = fit(Number(payload), p.format, p.datatype === 'integer');
      return typeof v === 'string' ? { ok: false, reason: v } : { ok: true, value: v };
    }
    case 'enum':
      return p.format?.split(',').includes(payload) ? { ok: true, value: payload } : bad(`one of ${p.format}`);
    case 'string':
      return { ok: true, value: payload === EMPTY_STRING ? '' : payload };
  }
}
