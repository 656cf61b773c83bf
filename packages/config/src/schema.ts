import { z } from 'zod';
import { optionMeta, type OptionSchema } from './options.js';

/** The options of one section, by lower-case name. */
export type SectionShape = Record<string, OptionSchema<unknown>>;

export interface SectionMeta {
  description: string;
  /** All options pass as a string record, unchecked (the `[INTERFACE]` section). */
  passthrough?: boolean;
}

/** A section with a fixed set of typed options. Option names must be lower case. */
export function section<S extends SectionShape>(options: S, description: string) {
  for (const name of Object.keys(options)) {
    if (name !== name.toLowerCase()) throw new TypeError(`option names are lower case: "${name}"`);
    if (!optionMeta(options[name]!)) throw new TypeError(`option "${name}" was not built with the option helpers`);
  }
  return z.object(options).meta({ description });
}

/** A section whose options are all passed on as strings, whatever their names. */
export function passthroughSection(description: string) {
  return z.record(z.string(), z.string()).meta({ description, passthrough: true });
}

export type SectionSchema = ReturnType<typeof section<SectionShape>> | ReturnType<typeof passthroughSection>;

/**
 * A whole configuration: sections by name (written as in the file, `MQTT`, `LOG`, ...).
 * Applications extend a framework schema with their own sections:
 * `defineConfig({ ...gatewaySections, MYAPP: section({...}, '...') })`.
 */
export function defineConfig<S extends Record<string, SectionSchema>>(sections: S) {
  return z.object(sections);
}

export type ConfigSchema = z.ZodObject<Record<string, SectionSchema>>;

/** The typed values a schema gives. */
export type ConfigValues<S extends ConfigSchema> = z.output<S>;

/** What the loader needs to know of a section. */
export interface SectionInfo {
  name: string;
  description: string;
  passthrough: boolean;
  options: Map<string, OptionSchema<unknown>>;
}

export function sectionsOf(schema: ConfigSchema): SectionInfo[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const meta = (s.meta() ?? {}) as Partial<SectionMeta>;
    const options = new Map<string, OptionSchema<unknown>>();
    if (s instanceof z.ZodObject) {
      for (const [opt, o] of Object.entries(s.shape)) options.set(opt, o);
    }
    return { name, description: meta.description ?? '', passthrough: meta.passthrough === true, options };
  });
}
