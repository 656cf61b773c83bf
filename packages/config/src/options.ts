import { z } from 'zod';

/**
 * Option builders. Each returns a zod schema that reads the option's text (as written in an INI
 * file or an environment variable) and gives the typed value, with the default and the
 * description in its metadata. The schema is the one source of truth: the TypeScript type
 * (`z.infer`), the validation, the default and the generated default file all come from it.
 */

/** Metadata every option carries. */
export interface OptionMeta {
  /** What the option does, one or two sentences; becomes the comment in the defaults file. */
  description: string;
  /** The default, as it would be written in the file. */
  default: string;
  /** Never log or print the value (passwords, tokens). */
  secret?: boolean;
  /** An empty value is refused; the text says what to put there. */
  required?: string;
}

export type OptionSchema<T> = z.ZodType<T, string>;

export interface CommonOptions {
  secret?: boolean;
  /**
   * The option must be set: an empty value is refused with this hint, e.g.
   * `'give the device, e.g. "port: /dev/ttyUSB0"'`.
   */
  required?: string;
}

/** An option schema from a parser of its (trimmed) text; for the helpers of this package. */
export function build<T>(parse: (text: string) => { ok: true; value: T } | { ok: false; expected: string }, meta: OptionMeta): OptionSchema<T> {
  const schema = z.string().transform((text, ctx) => {
    const result = parse(text.trim());
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.expected });
    return z.NEVER;
  });
  return schema.meta({ ...meta });
}

export const ok = <T>(value: T) => ({ ok: true as const, value });
export const fail = (expected: string) => ({ ok: false as const, expected });

/** Free text; empty allowed. */
export function string(def: string, description: string, options: CommonOptions = {}): OptionSchema<string> {
  const { required } = options;
  return build((t) => (required !== undefined && t === '' ? fail(`is required: ${required}`) : ok(t)), { description, default: def, ...options });
}

export interface RangeOptions {
  min?: number;
  max?: number;
}

function rangeText(kind: string, { min, max }: RangeOptions): string {
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} >= ${min}`;
  if (max !== undefined) return `${kind} <= ${max}`;
  return kind;
}

/** A whole number, optionally bounded. */
export function int(def: number, description: string, range: RangeOptions = {}): OptionSchema<number> {
  const expected = `expected ${rangeText('an integer', range)}`;
  return build(
    (t) => {
      if (!/^[+-]?\d+$/.test(t)) return fail(expected);
      const n = Number(t);
      if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) return fail(expected);
      return ok(n);
    },
    { description, default: String(def) },
  );
}

/** A decimal number, optionally bounded. */
export function number(def: number, description: string, range: RangeOptions = {}): OptionSchema<number> {
  const expected = `expected ${rangeText('a number', range)}`;
  return build(
    (t) => {
      const n = t === '' ? Number.NaN : Number(t);
      if (!Number.isFinite(n)) return fail(expected);
      if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) return fail(expected);
      return ok(n);
    },
    { description, default: String(def) },
  );
}

/** A TCP port, 1 to 65535. */
export function port(def: number, description: string): OptionSchema<number> {
  return int(def, description, { min: 1, max: 65535 });
}

const TRUE_WORDS = new Set(['on', 'true', 'yes', '1']);
const FALSE_WORDS = new Set(['off', 'false', 'no', '0']);

/** A boolean written as on/off, true/false, yes/no or 1/0 (any case), as configparser reads them. */
export function bool(def: boolean, description: string): OptionSchema<boolean> {
  return build(
    (t) => {
      const w = t.toLowerCase();
      if (TRUE_WORDS.has(w)) return ok(true);
      if (FALSE_WORDS.has(w)) return ok(false);
      return fail('expected on/off, true/false, yes/no or 1/0');
    },
    { description, default: def ? 'on' : 'off' },
  );
}

/** One of a fixed set of words (case-insensitive); the value is the lower-case word. */
export function choice<const T extends string>(values: readonly T[], def: T, description: string): OptionSchema<T> {
  return build(
    (t) => {
      const w = t.toLowerCase();
      const found = values.find((v) => v.toLowerCase() === w);
      return found !== undefined ? ok(found) : fail(`expected one of ${values.join(', ')}`);
    },
    { description, default: def },
  );
}

/** Log levels as written in files, and the normalized value they give. */
export const LOG_LEVELS = ['critical', 'error', 'warn', 'info', 'debug', 'none'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** CRITICAL, ERROR, WARN or WARNING, INFO, DEBUG, NONE (any case). */
export function level(def: LogLevel, description: string): OptionSchema<LogLevel> {
  return build(
    (t) => {
      const w = t.toLowerCase();
      const lvl = w === 'warning' ? 'warn' : w;
      return (LOG_LEVELS as readonly string[]).includes(lvl) ? ok(lvl as LogLevel) : fail('expected CRITICAL, ERROR, WARN (or WARNING), INFO, DEBUG or NONE');
    },
    { description, default: def.toUpperCase() },
  );
}

/** A comma-separated list; blanks around items and empty items are dropped. */
export function list(def: readonly string[], description: string): OptionSchema<string[]> {
  return build(
    (t) =>
      ok(
        t
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      ),
    { description, default: def.join(', ') },
  );
}

/** Reads the metadata of an option schema built here (undefined for anything else). */
export function optionMeta(schema: z.ZodType): OptionMeta | undefined {
  const meta = schema.meta() as Partial<OptionMeta> | undefined;
  return meta && typeof meta.description === 'string' && typeof meta.default === 'string' ? (meta as OptionMeta) : undefined;
}
