/**
 * The checks zod cannot express by shape alone: regular expressions and templates compile,
 * templates and declared arguments agree, groups exist, nothing sent can contain a line
 * terminator. They run inside the schema so that one pass reports every problem with its path.
 * Parameter types are structural (not inferred from the schema) to keep the schema's own type
 * free of a cycle.
 */
import { compileLinePattern } from './line-pattern.js';
import { parseTemplate } from './template.js';

interface Ctx {
  addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void;
}

const issue = (ctx: Ctx, message: string, path: PropertyKey[] = []) => ctx.addIssue({ code: 'custom', message, path });
const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));

export function checkPattern(source: string, ctx: Ctx): void {
  const compiled = compileLinePattern(source);
  if (!compiled.ok) for (const problem of compiled.problems) issue(ctx, problem);
}

export function checkTemplate(source: string, ctx: Ctx): void {
  const parsed = parseTemplate(source);
  if (!parsed.ok) for (const problem of parsed.problems) issue(ctx, problem);
}

export function checkCommand(command: { send: string; arguments?: Record<string, unknown> | undefined }, ctx: Ctx): void {
  const parsed = parseTemplate(command.send);
  if (!parsed.ok) return; // reported on send itself
  const declared = Object.keys(command.arguments ?? {});
  for (const name of parsed.template.arguments) {
    if (!declared.includes(name)) issue(ctx, `placeholder {${name}} is not a declared argument (declared: ${list(declared)})`, ['send']);
  }
  for (const name of declared) {
    if (!parsed.template.arguments.includes(name))
      issue(ctx, `is declared but "${command.send}" does not use it: add {${name}} to send, or remove it`, ['arguments', name]);
  }
}

interface CommandArgumentShape {
  type: 'number' | 'integer' | 'string' | 'enum';
  min?: number | undefined;
  max?: number | undefined;
  values?: string[];
  map?: Record<string, string> | undefined;
}

export function checkCommandArgument(arg: CommandArgumentShape, ctx: Ctx): void {
  if (arg.min !== undefined && arg.max !== undefined && arg.min > arg.max) issue(ctx, `min ${arg.min} is above max ${arg.max}`, ['min']);
  if (arg.type === 'enum' && arg.values) {
    const seen = new Map<string, string>();
    arg.values.forEach((value, index) => {
      const other = seen.get(value.toUpperCase());
      if (other !== undefined) issue(ctx, `"${value}" is listed twice (values are matched ignoring case: "${other}")`, ['values', index]);
      seen.set(value.toUpperCase(), value);
    });
  }
  for (const key of Object.keys(arg.map ?? {})) {
    if (arg.type === 'enum' && !arg.values?.includes(key)) issue(ctx, `"${key}" is not one of the values (${list(arg.values ?? [])})`, ['map', key]);
    if (arg.type === 'number' || arg.type === 'integer') {
      const n = Number(key);
      if (key.trim() === '' || !Number.isFinite(n) || String(n) !== key) {
        issue(ctx, `"${key}" is not a number as JSON writes it (45, 45.5, -3)`, ['map', key]);
      } else if ((arg.min !== undefined && n < arg.min) || (arg.max !== undefined && n > arg.max) || (arg.type === 'integer' && !Number.isInteger(n))) {
        issue(ctx, `${key} is not an accepted value (see type, min and max)`, ['map', key]);
      }
    }
  }
}

interface StatusArgumentShape {
  group?: number | string | undefined;
  value?: unknown;
  type?: string | undefined;
  scale?: number | undefined;
  map?: Record<string, unknown> | undefined;
}

export function checkStatusArgument(arg: StatusArgumentShape, ctx: Ctx): void {
  const hasGroup = arg.group !== undefined;
  const hasValue = arg.value !== undefined;
  if (hasGroup === hasValue) {
    issue(
      ctx,
      hasGroup
        ? 'has both group and value: give one (a group to read, or a constant value)'
        : 'needs a group (the capture group to read) or a value (a constant)',
    );
    return;
  }
  if (hasValue) {
    for (const key of ['type', 'scale', 'map'] as const) if (arg[key] !== undefined) issue(ctx, `does not apply with a constant value`, [key]);
    return;
  }
  if (arg.map !== undefined) {
    for (const key of ['type', 'scale'] as const) if (arg[key] !== undefined) issue(ctx, `does not apply with a map: the map gives the values`, [key]);
  }
  if (arg.scale !== undefined && arg.type !== 'number' && arg.type !== 'integer')
    issue(ctx, `applies to type number or integer only (type is ${arg.type ?? 'string, the default'})`, ['scale']);
  if (arg.scale === 0 || (arg.scale !== undefined && !Number.isFinite(arg.scale))) issue(ctx, 'must be a finite number other than 0', ['scale']);
}

type StatusArguments = Record<string, { group?: number | string | undefined }> | undefined;

interface StatusShape {
  match: string;
  action?: string | undefined;
  arguments?: StatusArguments;
  emit?: { arguments?: StatusArguments }[] | undefined;
}

/** A status gives one message (action, arguments) or several (emit), and reads only groups its pattern has. */
export function checkStatus(status: StatusShape, ctx: Ctx): void {
  if (status.emit !== undefined) {
    if (status.action !== undefined) issue(ctx, 'give either action (one status message) or emit (several), not both', ['action']);
    if (status.arguments !== undefined) issue(ctx, 'goes inside each entry of emit, which give the arguments of the messages', ['arguments']);
  } else if (status.action === undefined) {
    issue(ctx, 'is required: the action of the status message (VOLUME), or emit for several messages', ['action']);
  }
  const compiled = compileLinePattern(status.match);
  if (!compiled.ok) return; // reported on match itself
  const { groups, groupNames } = compiled.pattern;
  const checkGroups = (args: StatusArguments, at: PropertyKey[]) => {
    for (const [name, arg] of Object.entries(args ?? {})) {
      if (typeof arg.group === 'number' && arg.group > groups) {
        issue(
          ctx,
          `the pattern "${status.match}" has ${groups === 0 ? 'no capture group' : groups === 1 ? '1 capture group' : `${groups} capture groups`}, so there is no group ${arg.group}`,
          [...at, 'arguments', name, 'group'],
        );
      } else if (typeof arg.group === 'string' && !groupNames.includes(arg.group)) {
        issue(ctx, `the pattern "${status.match}" has no group named "${arg.group}" (named groups: ${list(groupNames)})`, [...at, 'arguments', name, 'group']);
      }
    }
  };
  checkGroups(status.arguments, []);
  status.emit?.forEach((entry, i) => checkGroups(entry.arguments, ['emit', i]));
}

/** Several messages from one line each carry their own action: the newest status of an action replaces a waiting one. */
export function checkEmit(emit: { action: string }[], ctx: Ctx): void {
  const seen = new Map<string, number>();
  emit.forEach((entry, i) => {
    const first = seen.get(entry.action);
    if (first !== undefined) issue(ctx, `${entry.action} is emitted already by emit[${first}]: one line gives each action once`, [i, 'action']);
    else seen.set(entry.action, i);
  });
}

export function checkPollQuery(poll: { seconds: number; jitter?: number | undefined }, ctx: Ctx): void {
  if (poll.jitter !== undefined && poll.jitter >= poll.seconds)
    issue(ctx, `${poll.jitter} is not less than seconds (${poll.seconds}): each interval could double`, ['jitter']);
}
