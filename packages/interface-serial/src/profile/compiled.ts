import type { MessageArguments, SenderWords } from '@mg/core';
import type { DeviceEncoding, TerminatorFraming } from '@mg/device-io';
import { ProfileError } from '../errors.js';
import { argumentEncoder, type ArgumentEncoder } from './command-arguments.js';
import { DEFAULT_BUSY_DELAY_MS, DEFAULT_BUSY_RETRIES } from './answers-schema.js';
import { compileLinePattern } from './line-pattern.js';
import type { AnswersDefinition, Profile } from './schema.js';
import { statusArgumentReader, type StatusArgumentReader } from './status-arguments.js';
import { parseTemplate, renderTemplate, type Template } from './template.js';

/** The line to send for a command, or why it cannot be sent (worded for the MQTT sender). */
export type CommandResult = { ok: true; line: string } | { ok: false; reason: string };

/** What a device line means: the action and arguments of a status message. */
export interface ParsedStatus {
  action: string;
  arguments: MessageArguments;
}

/** Lines polled at their own interval (`queries.every`, `queries.poll[]`). */
export interface ProfilePoll {
  /** Where it comes from in the profile (`queries.poll[1]`): its id on the poll scheduler and in messages. */
  readonly id: string;
  readonly intervalMs: number;
  /** Up to this much added at random to each interval (0: none). */
  readonly jitterMs: number;
  readonly send: readonly string[];
}

export interface ProfileQueries {
  /** Sent on every connection (at start and when the device comes back). */
  readonly atStart: readonly string[];
  /** Sent after every command the device confirmed, unless the command has its own `then`. */
  readonly afterCommand: readonly string[];
  /** Sent every `intervalMs` while connected (`queries.every`; also the first of `polls`). */
  readonly every?: { readonly intervalMs: number; readonly send: readonly string[] };
  /** Every periodic query, `every` first, then `poll` in the profile's order. */
  readonly polls: readonly ProfilePoll[];
}

/** The LineTransport options a profile sets (`new LineTransport({ address, ...profile.transportOptions() })`). */
export interface ProfileTransportOptions {
  framing: TerminatorFraming & { terminator: readonly string[]; maxLineBytes: number };
  encoding: DeviceEncoding;
  sendTerminator: string;
  spacingMs: number;
}

/**
 * What the device may answer to a command: `@mg/device-io`'s AnswerPatterns (LineTransport's
 * ask()). `ok` never accepts a line that `busy` or `refused` matches, and a `busy` line is not
 * a refusal, whatever order they are tried in.
 */
export interface CommandAnswers {
  readonly ok: (line: string) => boolean;
  readonly refused?: RegExp;
  readonly busy?: RegExp;
  readonly busyRetries: number;
  readonly busyDelayMs: number;
}

interface CompiledCommand {
  readonly action: string;
  readonly template: Template;
  readonly encoders: readonly ArgumentEncoder[];
  readonly confirm: RegExp | undefined;
  readonly refused: RegExp | undefined;
  readonly busy: RegExp | undefined;
  readonly busyRetries: number;
  readonly busyDelayMs: number;
  readonly then: readonly string[] | undefined;
}

interface CompiledMessage {
  readonly action: string;
  readonly readers: readonly (readonly [string, StatusArgumentReader])[];
}

interface CompiledStatus {
  readonly regex: RegExp;
  /** One message, or several (`emit`), all read from the same match. */
  readonly messages: readonly CompiledMessage[];
}

// The schema's checks compile the same things: this only fires if they ever disagree.
function invalid(where: string, path: string, why: string): never {
  throw new ProfileError('PROFILE_INVALID', `${where}: invalid profile, 1 problem:\n  ${path}: ${why}`, { issues: [{ path, message: why }] });
}

/** Seconds as a profile writes them, in whole ms (1.1 s is 1100 ms, not 1100.0000000000002). */
const ms = (seconds: number) => Math.round(seconds * 1000);

/** Keys an MQTT payload may carry besides the arguments of the command (core strips most of them). */
const IGNORED_ARGUMENTS = new Set(['correlation']);

/**
 * A validated profile, ready to use: every template and regular expression compiled once.
 * Stateless after construction: one instance may serve any number of devices.
 */
export class CompiledProfile {
  readonly name: string;
  readonly description: string;
  /** Where the profile came from (a file path, "profile denon-avr"), for messages. */
  readonly where: string;
  /** The validated profile, defaults filled in (for `--check` output). */
  readonly definition: Profile;
  /** The actions it has commands for, in the profile's order. */
  readonly actions: readonly string[];
  /** The actions of the statuses it can report, each once, in the profile's order. */
  readonly statusActions: readonly string[];
  readonly queries: ProfileQueries;
  private readonly commands = new Map<string, CompiledCommand>();
  private readonly statuses: readonly CompiledStatus[];

  constructor(profile: Profile, where: string) {
    this.name = profile.name;
    this.description = profile.description;
    this.where = where;
    this.definition = profile;
    const rules = { terminators: this.terminators(profile), encoding: profile.framing.encoding };
    for (const [action, def] of Object.entries(profile.commands)) {
      const parsed = parseTemplate(def.send);
      if (!parsed.ok) invalid(where, `commands.${action}.send`, parsed.problems.join('; '));
      const confirm = def.confirm === undefined ? undefined : compileLinePattern(def.confirm);
      if (confirm && !confirm.ok) invalid(where, `commands.${action}.confirm`, confirm.problems.join('; '));
      const encoders = Object.entries(def.arguments ?? {}).map(([name, arg]) => argumentEncoder(name, arg, rules));
      const answers = compileAnswers(where, action, profile.answers, def.answers);
      this.commands.set(action, { action, template: parsed.template, encoders, confirm: confirm?.pattern.regex, ...answers, then: def.then });
    }
    this.actions = [...this.commands.keys()];
    this.statuses = profile.statuses.map((def, i) => {
      const compiled = compileLinePattern(def.match);
      if (!compiled.ok) invalid(where, `statuses[${i}].match`, compiled.problems.join('; '));
      const message = (m: { action?: string | undefined; arguments?: typeof def.arguments }): CompiledMessage => ({
        action: m.action!, // the schema requires it unless emit is given
        readers: Object.entries(m.arguments ?? {}).map(([name, arg]) => [name, statusArgumentReader(arg)] as const),
      });
      return { regex: compiled.pattern.regex, messages: def.emit ? def.emit.map(message) : [message(def)] };
    });
    this.statusActions = [...new Set(this.statuses.flatMap((s) => s.messages.map((m) => m.action)))];
    const { atStart, afterCommand, every, poll } = profile.queries;
    const polls: ProfilePoll[] = poll.map((p, i) => ({ id: `queries.poll[${i}]`, intervalMs: ms(p.seconds), jitterMs: ms(p.jitter ?? 0), send: p.send }));
    if (every) polls.unshift({ id: 'queries.every', intervalMs: ms(every.seconds), jitterMs: 0, send: every.send });
    this.queries = every ? { atStart, afterCommand, every: { intervalMs: ms(every.seconds), send: every.send }, polls } : { atStart, afterCommand, polls };
  }

  /**
   * The line that sends `action` with `args` (a JSON number or a numeric string for numbers;
   * action names ignore case). `words`: how the sender wrote the action and the arguments, for
   * the reasons (default: the profile's names).
   */
  commandFor(action: string, args: Readonly<Record<string, unknown>> = {}, words?: SenderWords): CommandResult {
    const command = this.command(action);
    const said = words?.action ?? action;
    if (!command) return { ok: false, reason: `unknown action ${JSON.stringify(said)} for this device (known: ${this.actions.join(', ') || 'none'})` };
    const as = (key: string) => words?.argument(key) ?? key;
    const what = words?.action ?? command.action;
    const problems: string[] = [];
    const values: Record<string, string> = {};
    for (const encoder of command.encoders) {
      if (!Object.hasOwn(args, encoder.name)) {
        problems.push(`argument "${as(encoder.name)}" is missing: ${what} needs ${encoder.domain}`);
        continue;
      }
      const encoded = encoder.encode(args[encoder.name], as(encoder.name));
      if (encoded.ok) values[encoder.name] = encoded.text;
      else problems.push(encoded.reason);
    }
    const takes = command.encoders.map((e) => e.name);
    for (const key of Object.keys(args)) {
      if (takes.includes(key) || IGNORED_ARGUMENTS.has(key)) continue;
      problems.push(
        takes.length === 0 ? `${what} takes no arguments, got "${as(key)}"` : `${what} takes no argument "${as(key)}" (it takes: ${takes.map(as).join(', ')})`,
      );
    }
    if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
    return { ok: true, line: renderTemplate(command.template, values) };
  }

  /**
   * What a device line means: the status messages of the first status that matches it and
   * whose arguments all read (several for a status with `emit`); none for a line no status
   * recognises.
   */
  statusesOf(line: string): ParsedStatus[] {
    for (const status of this.statuses) {
      const match = status.regex.exec(line);
      if (!match) continue;
      const messages = status.messages.map((m) => readMessage(m, match));
      if (messages.every((m) => m !== undefined)) return messages;
    }
    return [];
  }

  /** The first status message a device line means (`statusesOf`), or undefined for a line no status recognises. */
  parseLine(line: string): ParsedStatus | undefined {
    return this.statusesOf(line)[0];
  }

  /** Whether `line` confirms a command for `action`: its `confirm` pattern, or else any line a status recognises. */
  isConfirmation(action: string, line: string): boolean {
    return this.confirmationFor(action)?.(line) ?? false;
  }

  /**
   * The test of `isConfirmation` for one action (a `match` for LineTransport's request()), or
   * undefined for an unknown action. A line its busy or refused pattern matches never confirms.
   */
  confirmationFor(action: string): ((line: string) => boolean) | undefined {
    return this.answersFor(action)?.ok;
  }

  /** What the device may answer to `action` (the `AnswerPatterns` of LineTransport's ask()), or undefined for an unknown action. */
  answersFor(action: string): CommandAnswers | undefined {
    const command = this.command(action);
    if (!command) return undefined;
    const { confirm, refused, busy, busyRetries, busyDelayMs } = command;
    const accepts = confirm ? (line: string) => confirm.test(line) : (line: string) => this.statusesOf(line).length > 0;
    const ok = refused || busy ? (line: string) => !busy?.test(line) && !refused?.test(line) && accepts(line) : accepts;
    return { ok, ...(refused && { refused }), ...(busy && { busy }), busyRetries, busyDelayMs };
  }

  /** The lines sent once the device confirmed `action`: its `then`, else `queries.afterCommand`. */
  thenFor(action: string): readonly string[] {
    return this.command(action)?.then ?? this.queries.afterCommand;
  }

  transportOptions(): ProfileTransportOptions {
    const framing = this.definition.framing;
    const terminator = typeof framing.terminator === 'string' ? [framing.terminator] : [...framing.terminator];
    return {
      framing: { terminator, maxLineBytes: framing.maxLineBytes, skipEmpty: true },
      encoding: framing.encoding,
      sendTerminator: framing.sendTerminator ?? terminator[0]!,
      spacingMs: this.definition.spacingMs,
    };
  }

  private command(action: string): CompiledCommand | undefined {
    return this.commands.get(action) ?? this.commands.get(action.toUpperCase());
  }

  private terminators(profile: Profile): string[] {
    const t = profile.framing.terminator;
    const list = typeof t === 'string' ? [t] : [...t];
    if (profile.framing.sendTerminator) list.push(profile.framing.sendTerminator);
    return list;
  }
}

function readMessage(message: CompiledMessage, match: RegExpExecArray): ParsedStatus | undefined {
  const args = Object.create(null) as MessageArguments;
  for (const [name, read] of message.readers) {
    const result = read(match);
    if (result.skip) return undefined;
    if (result.value !== undefined) args[name] = result.value;
  }
  return { action: message.action, arguments: args };
}

/** A command's answers: its own keys over the profile's, the patterns compiled to match whole lines. */
function compileAnswers(where: string, action: string, common: AnswersDefinition | undefined, own: AnswersDefinition | undefined) {
  const pattern = (key: 'refused' | 'busy') => {
    const source = own?.[key] ?? common?.[key];
    if (source === undefined) return undefined;
    const compiled = compileLinePattern(source);
    if (!compiled.ok) invalid(where, own?.[key] === undefined ? `answers.${key}` : `commands.${action}.answers.${key}`, compiled.problems.join('; '));
    return compiled.pattern.regex;
  };
  return {
    refused: pattern('refused'),
    busy: pattern('busy'),
    busyRetries: own?.busyRetries ?? common?.busyRetries ?? DEFAULT_BUSY_RETRIES,
    busyDelayMs: own?.busyDelayMs ?? common?.busyDelayMs ?? DEFAULT_BUSY_DELAY_MS,
  };
}
