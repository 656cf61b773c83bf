/**
 * Regular expressions of a profile (`statuses[].match`, `commands.*.confirm`), compiled so that
 * they always match a whole line: the author writes `MV(\d\d)`, the engine tests
 * `^(?:MV(\d\d))$`. Anchoring keeps a failed match short on a long garbage line; nested
 * unbounded quantifiers, the usual shape of catastrophic backtracking, are refused at load.
 */

interface LinePattern {
  readonly source: string;
  readonly regex: RegExp;
  /** Number of capture groups. */
  readonly groups: number;
  readonly groupNames: readonly string[];
}

export type LinePatternResult = { ok: true; pattern: LinePattern } | { ok: false; problems: string[] };

export function compileLinePattern(source: string): LinePatternResult {
  try {
    new RegExp(source); // on its own first, so that the message quotes what the author wrote
  } catch (err) {
    const detail = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return { ok: false, problems: [`invalid regular expression: ${detail}`] };
  }
  const problems = nestedQuantifiers(source);
  if (problems.length > 0) return { ok: false, problems };
  const regex = new RegExp(`^(?:${source})$`);
  // An empty alternative makes it match '' so that exec reports every group, even unmatched.
  const probe = new RegExp(`(?:${source})|`).exec('')!;
  return { ok: true, pattern: { source, regex, groups: probe.length - 1, groupNames: Object.keys(probe.groups ?? {}) } };
}

interface Quantifier {
  length: number;
  unbounded: boolean;
  repeats: boolean;
}

function quantifierAt(source: string, i: number): Quantifier | undefined {
  const ch = source[i];
  let length = 0;
  let unbounded = false;
  let repeats = false;
  if (ch === '*' || ch === '+') {
    length = 1;
    unbounded = repeats = true;
  } else if (ch === '?') {
    length = 1;
  } else if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
    if (!m) return undefined;
    length = m[0].length;
    unbounded = m[2] !== undefined && m[3] === '';
    repeats = unbounded || Number(m[3] ?? m[1]) > 1;
  } else {
    return undefined;
  }
  if (source[i + length] === '?') length += 1; // lazy: same cost when it fails
  return { length, unbounded, repeats };
}

/** `(a+)+`, `(.*)*`, `(?:\d+)+`: an unbounded quantifier inside a repeated group. A heuristic, not a proof. */
function nestedQuantifiers(source: string): string[] {
  const problems: string[] = [];
  const stack: { start: number; unbounded: boolean }[] = [{ start: 0, unbounded: false }];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      i += 2;
    } else if (ch === '[') {
      i += 1;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (ch === '(') {
      stack.push({ start: i, unbounded: false });
      i += 1;
      continue;
    } else if (ch === ')') {
      const group = stack.length > 1 ? stack.pop()! : { start: i, unbounded: false };
      const q = quantifierAt(source, i + 1);
      if (q?.repeats && group.unbounded) {
        problems.push(
          `nested quantifier "${source.slice(group.start, i + 1 + q.length)}" can take exponential time on a long line: ` +
            'let the inner part match a bounded number of characters, or drop the outer repetition',
        );
      }
      const parent = stack[stack.length - 1]!;
      parent.unbounded ||= group.unbounded || q?.unbounded === true;
      i += 1 + (q?.length ?? 0);
      continue;
    } else {
      i += 1;
    }
    // After an atom (a character, an escape, a class): its quantifier, if any.
    const q = quantifierAt(source, i);
    if (q) {
      if (q.unbounded) stack[stack.length - 1]!.unbounded = true;
      i += q.length;
    }
  }
  return problems;
}
