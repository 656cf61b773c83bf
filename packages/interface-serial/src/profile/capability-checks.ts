/**
 * Capabilities name the profile's own commands and statuses: a write becomes the command of an
 * action with the value in one of its arguments, and a state is read from a status argument.
 * A name that is not in the profile would give an entity that never works (every write
 * answered ERROR, a state that never arrives), so the loader refuses it, with its path.
 * Read defensively from the raw profile, like the device texts: it runs even when other parts
 * are invalid, so that one pass reports every problem.
 */
import { isRecord, issuesAt, type IssueSink as Ctx, type RawRecord as Rec } from './raw.js';

const list = (names: readonly string[]) => (names.length === 0 ? 'none' : names.join(', '));
const keysOf = (v: unknown): string[] => (isRecord(v) ? Object.keys(v) : []);

/** What the capabilities may name: each command's arguments, each status action's arguments. */
interface Vocabulary {
  commands: Map<string, Rec>;
  /** Status action -> the argument names its statuses give (a union: several statuses may share an action). */
  statuses: Map<string, Set<string>>;
}

function vocabularyOf(raw: Rec): Vocabulary {
  const commands = new Map<string, Rec>();
  for (const [action, command] of Object.entries(isRecord(raw.commands) ? raw.commands : {}))
    commands.set(action, isRecord(command) && isRecord(command.arguments) ? command.arguments : {});
  const statuses = new Map<string, Set<string>>();
  const add = (message: unknown) => {
    if (!isRecord(message) || typeof message.action !== 'string') return;
    const args = statuses.get(message.action) ?? new Set<string>();
    for (const name of keysOf(message.arguments)) args.add(name);
    statuses.set(message.action, args);
  };
  // A status gives one message, or several (emit): each may be a capability's state.
  for (const status of Array.isArray(raw.statuses) ? raw.statuses : []) {
    add(status);
    if (isRecord(status) && Array.isArray(status.emit)) status.emit.forEach(add);
  }
  return { commands, statuses };
}

function checkCommand(c: Rec, v: Vocabulary, at: PropertyKey[], ctx: Ctx): void {
  const issue = issuesAt(ctx, at);
  const known = `commands: ${list([...v.commands.keys()])}`;
  const command = c.command;
  if (!isRecord(command)) return;
  if (typeof command.action === 'string') {
    const args = v.commands.get(command.action);
    if (!args) return issue(['command', 'action'], `the profile has no command "${command.action}" (${known})`);
    const argument = typeof command.argument === 'string' ? command.argument : undefined;
    if (argument !== undefined && !(argument in args))
      return issue(['command', 'argument'], `command ${command.action} has no argument "${argument}" (its arguments: ${list(Object.keys(args))})`);
    // Every declared argument is a placeholder of the template, so a command sent without one is refused.
    const others = Object.keys(args).filter((name) => name !== argument);
    if (others.length > 0)
      issue(['command'], `command ${command.action} also needs ${list(others)}, which a write does not give: name a command whose only argument is the value`);
    checkRange(c, args[argument ?? ''], command.action, at, ctx);
  } else if (isRecord(command.actions)) {
    for (const [value, action] of Object.entries(command.actions)) {
      if (typeof action !== 'string') continue;
      const args = v.commands.get(action);
      if (!args) issue(['command', 'actions', value], `the profile has no command "${action}" (${known})`);
      else if (Object.keys(args).length > 0)
        issue(
          ['command', 'actions', value],
          `command ${action} needs ${list(Object.keys(args))}, which "actions" does not give: name a command without arguments`,
        );
    }
  }
}

/**
 * The values a convention offers must be values the command takes: an enum's options among the
 * argument's values, a number's range inside the argument's.
 */
function checkRange(c: Rec, arg: unknown, action: string, at: PropertyKey[], ctx: Ctx): void {
  if (!isRecord(arg)) return;
  const issue = issuesAt(ctx, at);
  if (c.kind === 'enum' && arg.type === 'enum' && Array.isArray(arg.values) && Array.isArray(c.options)) {
    const values = arg.values.filter((x): x is string => typeof x === 'string');
    const upper = new Set(values.map((x) => x.toUpperCase()));
    c.options.forEach((option, i) => {
      if (typeof option === 'string' && !upper.has(option.toUpperCase()))
        issue(['options', i], `"${option}" is not a value of command ${action} (${list(values)})`);
    });
  }
  if (c.kind === 'number' && (arg.type === 'number' || arg.type === 'integer')) {
    for (const [key, outside] of [
      ['min', (own: number, theirs: number) => own < theirs],
      ['max', (own: number, theirs: number) => own > theirs],
    ] as const) {
      const theirs = arg[key];
      if (typeof theirs !== 'number') continue;
      const own = c[key];
      if (typeof own !== 'number') issue([], `give ${key}: command ${action} takes ${key === 'min' ? 'no less' : 'no more'} than ${theirs}`);
      else if (outside(own, theirs)) issue([key], `command ${action} takes ${key === 'min' ? 'no less' : 'no more'} than ${theirs}, not ${own}`);
    }
  }
}

function checkState(c: Rec, v: Vocabulary, at: PropertyKey[], ctx: Ctx): void {
  const issue = issuesAt(ctx, at);
  const known = `status actions: ${list([...v.statuses.keys()])}`;
  const state = c.state;
  if (!isRecord(state)) return;
  if (typeof state.action === 'string') {
    const args = v.statuses.get(state.action);
    if (!args) return issue(['state', 'action'], `no status of the profile has the action "${state.action}" (${known})`);
    if (typeof state.argument === 'string' && !args.has(state.argument))
      issue(['state', 'argument'], `no ${state.action} status has the argument "${state.argument}" (its arguments: ${list([...args])})`);
  } else if (isRecord(state.actions)) {
    for (const action of Object.keys(state.actions))
      if (!v.statuses.has(action)) issue(['state', 'actions', action], `no status of the profile has the action "${action}" (${known})`);
  }
}

/** Top-level check, on the raw profile: every action and argument a capability names exists. */
export function checkCapabilityBindings(raw: unknown, ctx: Ctx): void {
  if (!isRecord(raw) || !Array.isArray(raw.capabilities)) return;
  const v = vocabularyOf(raw);
  raw.capabilities.forEach((c, i) => {
    if (!isRecord(c)) return;
    checkCommand(c, v, ['capabilities', i], ctx);
    checkState(c, v, ['capabilities', i], ctx);
  });
}
