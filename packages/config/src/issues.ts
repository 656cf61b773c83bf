import type { z } from 'zod';
import { closest } from './suggest.js';

// The one formatter for problems zod finds in a JSON document (core's map and device
// descriptions, serial's profiles): the same problem reads the same, and the same typo gets the
// same "did you mean", wherever it is found.

/** One problem in a JSON document: where (a JSON path) and what, worded for the person who wrote it. */
export interface DataIssue {
  path: string;
  message: string;
}

/** How paths are written and which keys may stand where (for "did you mean"). */
export interface DescribeIssuesOptions {
  /**
   * The keys allowed where `path` points. A key allowed there is never unknown; an unknown key
   * that this returns anyway (a flat list of every key) is one in the wrong place: "here".
   */
  knownKeys?: (path: readonly PropertyKey[]) => readonly string[];
  /** What a path starts with: `$` gives `$.root`, `$[0]`; `''` gives `root`, `[0]` and `(top level)`. Default `$`. */
  root?: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.action.map["MUTE ON"][0]`, or with root `''`: `commands.VOL_SET.send`, `statuses[2].match`, `(top level)`. */
export function jsonPath(path: readonly PropertyKey[], root = '$'): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (IDENTIFIER.test(String(p))) out += `${out === '' ? '' : '.'}${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

// JSON.stringify gives undefined for a function or a symbol: name its type instead.
const shown = (value: unknown) => (value === undefined ? 'nothing' : (JSON.stringify(value) ?? `a ${typeof value}`).slice(0, 80));

/** One issue per problem (one per unknown key), each with its JSON path, as `path: message` reads. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, options: DescribeIssuesOptions = {}): DataIssue[] {
  const { knownKeys = () => [], root = '$' } = options;
  const out: DataIssue[] = [];
  for (const issue of issues) {
    const path = jsonPath(issue.path, root);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        const guess = known.includes(key) ? undefined : closest(key, known);
        const here = known.includes(key) ? ' here' : '';
        out.push({ path, message: `unknown key "${key}"${here}${guess ? `; did you mean "${guess}"?` : ''}` });
      }
    } else if (issue.code === 'invalid_key') {
      out.push({ path, message: `invalid name: ${issue.issues.map((i) => i.message).join('; ')}` });
    } else if (issue.code === 'custom') {
      out.push({ path, message: issue.message });
    } else {
      const found = valueAt(data, issue.path);
      if (found === undefined && issue.code === 'invalid_type')
        out.push({ path, message: `is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` });
      else out.push({ path, message: `${issue.message} (found ${shown(found)})` });
    }
  }
  return out;
}
