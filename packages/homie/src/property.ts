import type { Capability } from '@mg/core';

/** The Homie 5 datatypes this package publishes (color, datetime, duration and json have no capability kind). */
type HomieDatatype = 'boolean' | 'integer' | 'float' | 'enum' | 'string';

/** A property as the `$description` document holds it (convention 5, "Property Attributes"). */
export interface PropertyDescription {
  name: string;
  datatype: HomieDatatype;
  format?: string;
  settable?: boolean;
  retained?: boolean;
  unit?: string;
}

/** The one payload of a trigger: a trigger carries no value, so its enum has a single one. */
const TRIGGER_PAYLOAD = 'press';

/**
 * A float as Homie wants it: digits, "-", "." and "e" only. JavaScript writes `1e+21`; the
 * convention has no "+", so it goes.
 */
export function formatFloat(n: number): string {
  return String(n).replace('e+', 'e');
}

/** An integer datatype only when every bound and the step are whole: then no value can be a fraction. */
function isWhole(c: Capability): boolean {
  return c.step !== undefined && Number.isInteger(c.step) && [c.min, c.max].every((v) => v === undefined || Number.isInteger(v));
}

/** `[min]:[max][:step]`, or undefined when nothing bounds the number. */
function rangeFormat(c: Capability): string | undefined {
  if (c.min === undefined && c.max === undefined && c.step === undefined) return undefined;
  const part = (v: number | undefined) => (v === undefined ? '' : formatFloat(v));
  const range = `${part(c.min)}:${part(c.max)}`;
  // A step wider than the range is refused by Homie validators (node-homie, the homie5 crate).
  const stepFits = c.step !== undefined && (c.min === undefined || c.max === undefined || c.step <= c.max - c.min);
  return stepFits ? `${range}:${part(c.step)}` : range;
}

/**
 * Enum options that a Homie enum can carry: its format is a comma-separated list, without
 * duplicates or empty values. An option with a comma cannot be written there.
 */
export function enumFormat(options: readonly string[]): string | undefined {
  if (options.some((o) => o.includes(',') || o === '')) return undefined;
  if (new Set(options).size !== options.length) return undefined;
  return options.join(',');
}

/**
 * The Homie property of a capability (the mapping table of the README):
 * - binary: boolean; number: integer when min, max and step are whole (and a step is given), float otherwise,
 *   with `min:max:step` as format; enum: enum with the options as format (string when an option has a comma);
 *   text: string; trigger: a one-value enum (`press`), settable and not retained.
 * - access read: not settable; write: settable, not retained (a momentary command, "brew coffee" in the
 *   convention: there is no state to keep); readwrite: settable and retained.
 */
export function propertyFor(c: Capability): PropertyDescription {
  const p: PropertyDescription = { name: c.name, datatype: 'string' };
  switch (c.kind) {
    case 'binary':
      p.datatype = 'boolean';
      break;
    case 'number': {
      p.datatype = isWhole(c) ? 'integer' : 'float';
      const format = rangeFormat(c);
      if (format !== undefined) p.format = format;
      if (c.unit !== undefined) p.unit = c.unit;
      break;
    }
    case 'enum': {
      const format = enumFormat(c.options ?? []);
      if (format !== undefined) {
        p.datatype = 'enum';
        p.format = format;
      }
      break;
    }
    case 'text':
      break;
    case 'trigger':
      p.datatype = 'enum';
      p.format = TRIGGER_PAYLOAD;
      break;
  }
  // Defaults (settable false, retained true) are written out anyway: a reader sees the choice.
  p.settable = c.access !== 'read';
  p.retained = c.access !== 'write';
  return p;
}
