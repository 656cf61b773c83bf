/**
 * Command arguments: from what an MQTT sender wrote (a JSON number, a numeric string, a token)
 * to the text in the line, or a reason worded for that sender.
 */
import { unsendable, type TextRules } from './device-text.js';
import { compileLinePattern } from './line-pattern.js';
import type { CommandArgumentDefinition } from './schema.js';

type EncodedArgument = { ok: true; text: string } | { ok: false; reason: string };

export interface ArgumentEncoder {
  readonly name: string;
  /** What the argument accepts, in words: "a number between 0 and 98 in steps of 0.5". */
  readonly domain: string;
  /** `as`: the argument's name in the reason, as the sender wrote it (default: the profile's). */
  encode(value: unknown, as?: string): EncodedArgument;
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\x00-\x1f\x7f]/;

/** A JSON number, or a string that reads as a plain decimal number ("45", "45.5", " -3 "). */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return undefined;
}

const shown = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 60);

/** The whole part zero-padded to `pad` digits, then the fraction (if any) after `separator`. */
function formatNumber(value: number, pad: number | undefined, separator: string): string {
  const sign = value < 0 ? '-' : '';
  let digits = String(Math.abs(value));
  if (digits.includes('e'))
    digits = Math.abs(value)
      .toFixed(20)
      .replace(/\.?0+$/, ''); // 1e-7 is "0.0000001" on a device
  const [whole = '', fraction] = digits.split('.');
  return sign + whole.padStart(pad ?? 0, '0') + (fraction ? separator + fraction : '');
}

function numericDomain(kind: string, def: { min?: number | undefined; max?: number | undefined; step?: number | undefined }): string {
  let text = kind;
  if (def.min !== undefined && def.max !== undefined) text += ` between ${def.min} and ${def.max}`;
  else if (def.min !== undefined) text += ` of at least ${def.min}`;
  else if (def.max !== undefined) text += ` of at most ${def.max}`;
  if (def.step !== undefined) text += ` in steps of ${def.step}`;
  return text;
}

function onStep(value: number, base: number, step: number): boolean {
  const k = (value - base) / step;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

export function argumentEncoder(name: string, def: CommandArgumentDefinition, rules: TextRules): ArgumentEncoder {
  const map = def.map ?? {};
  const mapped = (key: string, text: string): EncodedArgument => ({ ok: true, text: Object.hasOwn(map, key) ? map[key]! : text });
  let domain: string;
  let encode: (value: unknown, as: string) => EncodedArgument | undefined; // undefined: not in the domain

  switch (def.type) {
    case 'number':
    case 'integer': {
      domain = numericDomain(def.type === 'number' ? 'a number' : 'a whole number', def);
      const separator = def.type === 'number' ? def.decimalSeparator : '';
      encode = (value) => {
        const n = toNumber(value);
        if (n === undefined || (def.type === 'integer' && !Number.isInteger(n))) return undefined;
        if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) return undefined;
        if (def.step !== undefined && !onStep(n, def.min ?? 0, def.step)) return undefined;
        const clean = n === 0 ? 0 : n; // -0 reads as 0
        return mapped(String(clean), formatNumber(clean, def.pad, separator));
      };
      break;
    }
    case 'string': {
      const pattern = def.pattern === undefined ? undefined : compileLinePattern(def.pattern);
      const regex = pattern?.ok ? pattern.pattern.regex : undefined;
      domain = `text of at most ${def.maxLength} printable characters${def.pattern === undefined ? '' : ` matching ${def.pattern}`}`;
      encode = (value, as) => {
        const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
        if (typeof text !== 'string' || text === '' || text.length > def.maxLength || CONTROL.test(text)) return undefined;
        if (regex && !regex.test(text)) return undefined;
        const why = Object.hasOwn(map, text) ? undefined : unsendable(text, rules);
        if (why) return { ok: false, reason: `argument "${as}" cannot be sent: it ${why}` };
        return mapped(text, text);
      };
      break;
    }
    case 'enum': {
      domain = `one of ${def.values.join(', ')}`;
      const byUpper = new Map(def.values.map((v) => [v.toUpperCase(), v]));
      encode = (value) => {
        const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
        if (typeof text !== 'string') return undefined;
        const canonical = def.values.includes(text) ? text : byUpper.get(text.toUpperCase());
        return canonical === undefined ? undefined : mapped(canonical, canonical);
      };
      break;
    }
  }
  return {
    name,
    domain,
    encode: (value, as = name) => encode(value, as) ?? { ok: false, reason: `argument "${as}" must be ${domain}, got ${shown(value)}` },
  };
}
