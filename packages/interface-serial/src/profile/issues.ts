import type { z } from 'zod';
import type { ProfileIssue } from '../errors.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `commands.VOL_SET.send`, `statuses[2].match`, `commands.INPUT_SET.arguments.source.map["SAT/CBL"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
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

/** Edits from a to b, a swap of two neighbours counting as one (the commonest typo). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known key closest to a misspelt one, when it is close enough to be a likely typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

const shown = (value: unknown) => (value === undefined ? 'nothing' : (JSON.stringify(value) ?? typeof value).slice(0, 80));

/** One issue per problem, each with its JSON path; `knownKeys` suggests a key for a misspelt one. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: readonly string[]): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  for (const issue of issues) {
    const path = jsonPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = knownKeys.includes(key) ? undefined : closest(key, knownKeys);
        const where = knownKeys.includes(key) ? ' here' : '';
        out.push({ path: jsonPath([...issue.path, key]), message: `unknown key${where}${guess ? `; did you mean "${guess}"?` : ''}` });
      }
    } else if (issue.code === 'invalid_key') {
      out.push({ path, message: `invalid name: ${issue.issues.map((i) => i.message).join('; ')}` });
    } else if (issue.code === 'custom') {
      out.push({ path, message: issue.message });
    } else {
      const found = valueAt(data, issue.path);
      const message = issue.message.replace(/^Invalid input: /, '');
      if (found === undefined && issue.code === 'invalid_type') out.push({ path, message: `is missing (${message.replace(/, received undefined$/, '')})` });
      else out.push({ path, message: `${message} (found ${shown(found)})` });
    }
  }
  return out;
}
