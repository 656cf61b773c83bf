/**
 * Command templates: the line a command sends, with `{name}` where an argument's value goes
 * (`MV{level}`, `SI{source}`). `{{` and `}}` stand for literal braces. How a value is written
 * (zero padding, decimal separator, device tokens) belongs to the argument's definition, not
 * to the template, so that one place says what a value may be and how it is sent.
 */

/** Literal text, or the place of an argument's value. */
type TemplatePart = { readonly text: string } | { readonly argument: string };

export interface Template {
  readonly parts: readonly TemplatePart[];
  /** Argument names in order of first use, each once. */
  readonly arguments: readonly string[];
}

export type TemplateResult = { ok: true; template: Template } | { ok: false; problems: string[] };

/** Names of arguments (command and status): they become keys of MQTT payloads. */
export const ARGUMENT_NAME = /^[a-z][a-zA-Z0-9_]*$/;

/** Parses a template; every problem is reported with its column (1-based). */
export function parseTemplate(source: string): TemplateResult {
  const parts: TemplatePart[] = [];
  const names: string[] = [];
  const problems: string[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === '{' && next === '{') {
      text += '{';
      i += 2;
    } else if (ch === '}' && next === '}') {
      text += '}';
      i += 2;
    } else if (ch === '}') {
      problems.push(`"}" at column ${i + 1} closes nothing: write "}}" for a literal "}"`);
      i += 1;
    } else if (ch === '{') {
      const end = source.indexOf('}', i + 1);
      if (end < 0) {
        problems.push(`"{" at column ${i + 1} is never closed: write {name} for an argument, "{{" for a literal "{"`);
        break;
      }
      const inner = source.slice(i + 1, end);
      if (ARGUMENT_NAME.test(inner)) {
        flush();
        parts.push({ argument: inner });
        if (!names.includes(inner)) names.push(inner);
      } else if (/^[a-z][a-zA-Z0-9_]*:/.test(inner)) {
        problems.push(
          `{${inner}} at column ${i + 1}: write {${inner.slice(0, inner.indexOf(':'))}}; how a value is written (pad, decimalSeparator, map) goes in the argument's definition`,
        );
      } else {
        problems.push(
          `{${inner}} at column ${i + 1} is not a placeholder: argument names start with a lower-case letter, then letters, digits or "_" ({level}); write "{{" for a literal "{"`,
        );
      }
      i = end + 1;
    } else {
      text += ch;
      i += 1;
    }
  }
  flush();
  return problems.length > 0 ? { ok: false, problems } : { ok: true, template: { parts, arguments: names } };
}

/** The line, with each argument's (already formatted) value in its place. */
export function renderTemplate(template: Template, values: Readonly<Record<string, string>>): string {
  let line = '';
  for (const part of template.parts) line += 'text' in part ? part.text : values[part.argument]!;
  return line;
}
