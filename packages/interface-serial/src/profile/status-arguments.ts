/** Status arguments: from the text a device line's capture group holds to a typed value. */
import type { JsonValue } from '@mg/core';
import type { StatusArgumentDefinition } from './schema.js';

/** `skip`: the line does not match this status after all (a token not in the map, text that is not a number). */
type ReadArgument = { skip: false; value: JsonValue | undefined } | { skip: true };
export type StatusArgumentReader = (match: RegExpExecArray) => ReadArgument;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const SKIP: ReadArgument = { skip: true };
const value = (v: JsonValue | undefined): ReadArgument => ({ skip: false, value: v });

export function statusArgumentReader(def: StatusArgumentDefinition): StatusArgumentReader {
  if (def.value !== undefined) {
    const constant = value(def.value);
    return () => constant;
  }
  const group = def.group!;
  const text = typeof group === 'number' ? (m: RegExpExecArray) => m[group] : (m: RegExpExecArray) => m.groups?.[group];
  if (def.map !== undefined) {
    const map = def.map;
    return (m) => {
      const token = text(m);
      if (token === undefined) return value(undefined);
      return Object.hasOwn(map, token) ? value(map[token]) : SKIP;
    };
  }
  if (def.type === 'number' || def.type === 'integer') {
    const scale = def.scale;
    const integer = def.type === 'integer';
    return (m) => {
      const raw = text(m);
      if (raw === undefined) return value(undefined);
      const trimmed = raw.trim();
      if (!NUMERIC.test(trimmed)) return SKIP;
      // Rounded so that 455 x 0.1 reads 45.5, as the device meant, not 45.50000000000001.
      const n = scale === undefined ? Number(trimmed) : Number((Number(trimmed) * scale).toPrecision(12));
      return integer && !Number.isInteger(n) ? SKIP : value(n === 0 ? 0 : n);
    };
  }
  return (m) => value(text(m));
}
