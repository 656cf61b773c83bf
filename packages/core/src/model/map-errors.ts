import { closest } from '@mg/config';
import type { z } from 'zod';

export { MapError } from '../errors.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.action.map["MUTE ON"][0]` */
export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : IDENTIFIER.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** One line per issue: `$.path: what is wrong (found ...)`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: (path: readonly PropertyKey[]) => string[]): string[] {
  return issues.map((issue) => {
    const where = jsonPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((key) => {
          const guess = closest(key, knownKeys(issue.path));
          return `${where}: unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ''}`;
        })
        .join('\n  ');
    }
    const found = valueAt(data, issue.path);
    const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 80);
    if (found === undefined && issue.code === 'invalid_type')
      return `${where}: is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})`;
    const message = issue.code === 'custom' ? issue.message : `${issue.message} (found ${shown})`;
    return `${where}: ${message}`;
  });
}
