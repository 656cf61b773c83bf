import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What `path` holds, after writing `wanted` to it when `UPDATE_DOCS=1`: a test expects the two
 * equal, so a generated page that drifted fails with the diff, and one command brings it back.
 */
export function docOnDisk(path: string, wanted: string): string {
  if (process.env.UPDATE_DOCS === '1') writeFileSync(path, wanted);
  return readFileSync(path, 'utf8');
}

/** `text` with what lies between `<!-- name:start -->` and `<!-- name:end -->` replaced by `content`. */
export function withSection(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  // A README without the markers is a broken page, not one to rewrite: say which markers are missing.
  if (from < 0 || to < 0) throw new Error(`the text has no "${start}" … "${end}" section`);
  return `${text.slice(0, from)}${start}\n${content}\n${text.slice(to)}`;
}

/**
 * With `UPDATE_DOCS=1`, puts `content` into the `name` section of the page at `path` (see
 * `withSection`) and returns true; otherwise leaves the page alone and returns false. For a long
 * run (the benchmark, the reliability suite) that refreshes the measured part of a page written by hand.
 */
export function updateDocSection(path: string, name: string, content: string): boolean {
  if (process.env.UPDATE_DOCS !== '1') return false;
  writeFileSync(path, withSection(readFileSync(path, 'utf8'), name, content));
  return true;
}

/** What lies between `<!-- name:start -->` and `<!-- name:end -->`, or undefined when the markers are missing. */
export function docSection(text: string, name: string): string | undefined {
  return new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text)?.[1];
}

/** The column titles of a Markdown table (its first line), trimmed. */
export function tableColumns(table: string): string[] {
  return table
    .split('\n')[0]!
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}
