import { fileErrorReason } from '@mg/errors';
import { readFileSync } from 'node:fs';
import { ConfigError, describePlace, type ConfigPlace, type ConfigProblem } from './errors.js';
import { parseIni } from './ini-bridge.js';
import { optionMeta } from './options.js';
import { sectionsOf, type ConfigSchema, type ConfigValues, type SectionInfo } from './schema.js';
import { closest } from './suggest.js';

export interface LoadConfigOptions {
  /**
   * Files read in order, each overriding the ones before (after the schema's defaults).
   * A missing file is an error unless it is marked `optional`.
   */
  files?: ReadonlyArray<string | { path: string; optional?: boolean }>;
  /**
   * Values given by a program rather than a file (a library call): `{ MQTT: { port: 1884 } }`,
   * applied after the files and before the environment, validated the same way. Numbers and
   * booleans are taken as they are; lists may be arrays. `source` names them in messages.
   */
  values?: Readonly<Record<string, Readonly<Record<string, ConfigInput>>>>;
  /** How messages name `values`. Default "configuration object". */
  valuesSource?: string;
  /** Environment variables to read overrides from (`MG_<SECTION>_<OPTION>`). Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of override variables. Default `MG_`. */
  envPrefix?: string;
}

export interface LoadedConfig<V> {
  values: V;
  /** Where each value that is not a default came from, by `SECTION.option`. */
  origins: Record<string, ConfigPlace>;
  /** Files actually read, in order. */
  files: string[];
  /** Things the user should fix but that do not stop the application (unknown options...). */
  warnings: string[];
  /** Things worth logging at INFO (values taken from the environment). */
  notices: string[];
}

/** A value given in `LoadConfigOptions.values`. */
export type ConfigInput = string | number | boolean | readonly string[];

interface RawValue {
  value: string;
  place: ConfigPlace;
}

/**
 * Loads, merges and validates a configuration: schema defaults, then each file, then
 * environment overrides. Throws a ConfigError listing every problem found.
 */
export function loadConfig<S extends ConfigSchema>(schema: S, options: LoadConfigOptions = {}): LoadedConfig<ConfigValues<S>> {
  const sections = sectionsOf(schema);
  const byLowerName = new Map(sections.map((s) => [s.name.toLowerCase(), s]));
  const raw = new Map<string, Map<string, RawValue>>(sections.map((s) => [s.name, new Map()]));
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const notices: string[] = [];
  const files: string[] = [];
  const take = sectionTaker(sections, byLowerName, raw, warnings);

  for (const spec of options.files ?? []) {
    const { path, optional = false } = typeof spec === 'string' ? { path: spec } : spec;
    const text = readConfigFile(path, optional);
    if (text === undefined) continue;
    files.push(path);
    const parsed = parseIni(text, path);
    problems.push(...parsed.problems);
    for (const [name, entry] of parsed.sections)
      take(
        name,
        { file: path, line: entry.line },
        [...entry.options].map(([opt, { value, line }]) => [opt, value, { file: path, line }]),
      );
  }

  applyValues(take, options);
  const lastPlace: ConfigPlace = options.values
    ? { source: options.valuesSource ?? 'configuration object' }
    : files.length > 0
      ? { file: files[files.length - 1] }
      : {};
  applyEnv(sections, raw, options, notices);

  const values: Record<string, Record<string, unknown>> = {};
  const origins: Record<string, ConfigPlace> = {};
  for (const info of sections) {
    const given = raw.get(info.name)!;
    const out: Record<string, unknown> = info.passthrough ? (Object.create(null) as Record<string, unknown>) : {};
    if (info.passthrough) {
      for (const [opt, { value, place }] of given) {
        out[opt] = value;
        origins[`${info.name}.${opt}`] = place;
      }
    } else {
      for (const [opt, schemaOf] of info.options) {
        const r = given.get(opt);
        const text = r?.value ?? optionMeta(schemaOf)!.default;
        const result = schemaOf.safeParse(text);
        if (result.success) {
          out[opt] = result.data;
          if (r) origins[`${info.name}.${opt}`] = r.place;
        } else {
          const expected = result.error.issues[0]?.message ?? 'invalid value';
          // A default that does not pass (a required option left out): say where it should go.
          if (r) problems.push({ ...r.place, section: info.name, option: opt, value: text, expected });
          else problems.push({ ...lastPlace, section: info.name, option: opt, expected });
        }
      }
    }
    values[info.name] = out;
  }

  if (problems.length > 0) throw new ConfigError('CONFIG_INVALID', problems);
  return { values: values as ConfigValues<S>, origins, files, warnings, notices };
}

function readConfigFile(path: string, optional: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (optional) return undefined;
      throw new ConfigError('CONFIG_FILE_MISSING', [{ file: path, expected: 'the configuration file does not exist; check the path given with -c/--conf' }], {
        cause,
      });
    }
    throw new ConfigError('CONFIG_FILE_UNREADABLE', [{ file: path, expected: `the configuration file cannot be read (${fileErrorReason(cause)})` }], { cause });
  }
}

/** Keeps a section's options, given by a file or a program; an unknown section or option is warned about and ignored. */
type Take = (name: string, place: ConfigPlace, given: Iterable<[option: string, value: string, place: ConfigPlace]>) => void;

function sectionTaker(sections: SectionInfo[], byLowerName: Map<string, SectionInfo>, raw: Map<string, Map<string, RawValue>>, warnings: string[]): Take {
  return (name, place, given) => {
    const info = byLowerName.get(name.toLowerCase());
    if (!info) {
      warnings.push(
        unknown(
          `section [${name}]`,
          name,
          place,
          sections.map((s) => s.name),
          true,
        ),
      );
      return;
    }
    for (const [opt, value, where] of given) {
      if (!info.passthrough && !info.options.has(opt)) {
        warnings.push(unknown(`option "${opt}" in [${info.name}]`, opt, where, info.options.keys()));
        continue;
      }
      raw.get(info.name)!.set(opt, { value, place: where });
    }
  };
}

function applyValues(take: Take, options: LoadConfigOptions): void {
  const place = { source: options.valuesSource ?? 'configuration object' };
  for (const [name, given] of Object.entries(options.values ?? {}))
    take(
      name,
      place,
      // Written as a file would have it, so that one parser validates both.
      Object.entries(given).map(([key, value]) => [
        key.toLowerCase(),
        typeof value === 'boolean' ? (value ? 'on' : 'off') : Array.isArray(value) ? value.join(', ') : String(value),
        place,
      ]),
    );
}

function applyEnv(sections: SectionInfo[], raw: Map<string, Map<string, RawValue>>, options: LoadConfigOptions, notices: string[]): void {
  const env = options.env;
  if (!env) return;
  const prefix = options.envPrefix ?? 'MG_';
  for (const info of sections) {
    const head = `${prefix}${info.name.toUpperCase()}_`;
    const names = info.passthrough
      ? Object.keys(env).filter((k) => k.startsWith(head) && k.length > head.length)
      : [...info.options.keys()].map((o) => head + o.toUpperCase());
    for (const variable of names) {
      const value = env[variable];
      if (value === undefined) continue;
      const opt = variable.slice(head.length).toLowerCase();
      raw.get(info.name)!.set(opt, { value, place: { env: variable } });
      notices.push(`[${info.name}] ${opt} is set by environment variable ${variable}`);
    }
  }
}

function unknown(what: string, name: string, place: ConfigPlace, known: Iterable<string>, isSection = false): string {
  const guess = closest(name, known);
  const hint = guess === undefined ? '' : `did you mean ${isSection ? `[${guess}]` : `"${guess}"`}? `;
  return `${describePlace(place)}: unknown ${what}; ${hint}it is ignored`;
}
