import { optionMeta } from './options.js';
import { sectionsOf, type ConfigSchema, type SectionShape } from './schema.js';
import type { LoadedConfig } from './load.js';
import { describePlace } from './errors.js';

/** Option names in free-form sections that are treated as secrets when printed. */
const SECRET_NAME = /pass(word|wd)?|secret|token|key|credential|private/i;

export const REDACTED = '********';

/**
 * The defaults file: every section and option with its default and a comment, in the syntax
 * of the original's files (`option: value`). Generated from the schema, so it cannot drift.
 */
export function renderDefaults(schema: ConfigSchema, header: readonly string[] = []): string {
  const out: string[] = header.map((h) => (h ? `# ${h}` : '#'));
  for (const info of sectionsOf(schema)) {
    if (out.length > 0) out.push('');
    out.push(`[${info.name}]`);
    out.push(...wrap(info.description).map((l) => `# ${l}`));
    for (const [name, schemaOf] of info.options) {
      const meta = optionMeta(schemaOf)!;
      out.push('');
      out.push(...wrap(meta.description).map((l) => `# ${l}`));
      out.push(meta.default === '' ? `${name}:` : `${name}: ${meta.default}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The effective configuration as lines for a log, secrets replaced by `********`, each with
 * where its value came from when it is not the default (`onlySet`: only those).
 */
export function describeConfig(
  schema: ConfigSchema,
  loaded: LoadedConfig<Record<string, Record<string, unknown>>>,
  options: { onlySet?: boolean } = {},
): string[] {
  const lines: string[] = [];
  for (const info of sectionsOf(schema)) {
    const values = loaded.values[info.name] ?? {};
    for (const [name, value] of Object.entries(values)) {
      const secret = info.passthrough ? SECRET_NAME.test(name) : optionMeta(info.options.get(name)!)?.secret === true;
      const shown = secret && value !== '' ? REDACTED : JSON.stringify(value);
      const origin = loaded.origins[`${info.name}.${name}`];
      if (options.onlySet && !origin) continue;
      lines.push(`[${info.name}] ${name} = ${shown}${origin ? ` (${describePlace(origin)})` : ''}`);
    }
  }
  return lines;
}

function wrap(text: string, width = 92): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// In a table, | ends the cell, even in a code span (GFM).
const cell = (text: string) => text.replace(/\|/g, '\\|');
// Outside code, `<app>` or `<prefix>` would be read as an HTML tag, and dropped, by Markdown renderers.
const prose = (text: string) => cell(text).replace(/</g, '\\<');

/**
 * A Markdown table of a section's options (option, default, meaning), from their own
 * metadata: for a reference page or an interface's README, kept current by a test.
 */
export function renderOptionsTable(options: SectionShape): string {
  const rows = ['| option | default | meaning |', '| --- | --- | --- |'];
  for (const [name, schema] of Object.entries(options)) {
    const m = optionMeta(schema);
    if (!m) continue;
    const def = m.default === '' ? (m.required !== undefined ? '(required)' : '(empty)') : `\`${cell(m.default)}\``;
    rows.push(`| \`${name}\` | ${def} | ${prose(m.description)} |`);
  }
  return rows.join('\n');
}
