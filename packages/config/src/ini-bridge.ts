import { decode } from 'ini';
import type { ConfigProblem } from './errors.js';

/** One option as read from a file. */
export interface RawOption {
  value: string;
  line: number;
}

/** Sections by name as written; options by lower-cased name (they are case-insensitive). */
export type RawSections = Map<string, { line: number; options: Map<string, RawOption> }>;

export interface ParsedIni {
  sections: RawSections;
  problems: ConfigProblem[];
}

const SECTION = /^\[([^\]]+)\]\s*$/;
// configparser splits at the first `=` or `:`, whichever comes first.
const OPTION = /^([^=:]+?)\s*[=:]\s?(.*)$/;

/**
 * Reads INI text written the way Python's configparser reads it, and decodes it with `ini`.
 *
 * `ini` only knows `key = value`, cuts values at `;` and `#`, unquotes quoted values and nests
 * dotted section names. configparser accepts `key: value` too, keeps `;`, `#` and quotes
 * inside values, keeps section names whole and continues a value on indented lines. So each
 * logical option is rewritten as `"key" = "<JSON string>"`: `ini` then hands back exactly the
 * text configparser would have read. Line numbers are kept for error messages.
 */
export function parseIni(text: string, file: string): ParsedIni {
  const problems: ConfigProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: string[] = [];
  const lineOf = new Map<string, { line: number; options: Map<string, number> }>();
  let current: { name: string; options: Map<string, number> } | undefined;
  let last: { key: string; value: string; line: number } | undefined;

  const flush = () => {
    if (last && current) out.push(`${JSON.stringify(last.key)} = ${JSON.stringify(last.value.trimEnd())}`);
    last = undefined;
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      flush();
      return;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    // An indented line continues the previous value (configparser's multi-line values).
    if (/^\s/.test(raw) && last) {
      last.value += `\n${trimmed}`;
      return;
    }
    flush();
    const section = SECTION.exec(trimmed);
    if (section) {
      const name = section[1]!.trim();
      if (lineOf.has(name)) {
        problems.push({ file, line: lineNo, section: name, expected: 'each section only once (it already appears above)' });
      }
      const entry = lineOf.get(name) ?? { line: lineNo, options: new Map<string, number>() };
      lineOf.set(name, entry);
      current = { name, options: entry.options };
      // Escaped dots keep `ini` from nesting `[a.b]` under `[a]`.
      out.push(`[${name.replace(/\\/g, '\\\\').replace(/\./g, '\\.')}]`);
      return;
    }
    const option = OPTION.exec(trimmed);
    if (!option) {
      problems.push({ file, line: lineNo, expected: `"option = value" or "option: value", found ${JSON.stringify(trimmed)}` });
      return;
    }
    if (!current) {
      problems.push({ file, line: lineNo, expected: 'a [SECTION] header before the first option' });
      return;
    }
    const key = option[1]!.trim().toLowerCase();
    if (current.options.has(key)) {
      problems.push({
        file,
        line: lineNo,
        section: current.name,
        option: key,
        expected: `each option only once per section (first set on line ${current.options.get(key)})`,
      });
      return;
    }
    current.options.set(key, lineNo);
    last = { key, value: option[2]!.trim(), line: lineNo };
  });
  flush();

  const decoded = decode(out.join('\n')) as Record<string, Record<string, unknown>>;
  const sections: RawSections = new Map();
  for (const [name, entry] of lineOf) {
    const values = decoded[name] ?? {};
    const options = new Map<string, RawOption>();
    for (const [key, line] of entry.options) {
      // `ini` turns "true"/"false"/"null" into JS values: give configparser's text back.
      const value = values[key];
      // `ini` gives a string, boolean, null or array of strings here, never an object.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      if (value !== undefined) options.set(key, { value: String(value), line });
    }
    sections.set(name, { line: entry.line, options });
  }
  return { sections, problems };
}
