/**
 * What may go into a line sent to the device. A line terminator inside a command would make
 * the device see two commands (and lets an MQTT sender smuggle one in through a string
 * argument); a character the encoding cannot write would be sent as something else.
 */
import type { DeviceEncoding } from '@mg/device-io';
import { ENCODINGS } from './encodings.js';
import { parseTemplate } from './template.js';
import { isRecord, type IssueSink as Ctx } from './raw.js';

export interface TextRules {
  /** Line terminators both ways: the framing's and the send terminator. */
  readonly terminators: readonly string[];
  readonly encoding: DeviceEncoding;
}

/* eslint-disable no-control-regex -- the ranges a device encoding can carry start at NUL */
const NOT_ENCODABLE: Record<DeviceEncoding, RegExp | undefined> = {
  ascii: /[^\x00-\x7f]/,
  latin1: /[^\x00-\xff]/,
  utf8: undefined, // JavaScript strings always encode (a lone surrogate becomes U+FFFD)
};
/* eslint-enable no-control-regex */

/** Why `text` cannot be part of a line sent, or undefined when it can. */
export function unsendable(text: string, rules: TextRules): string | undefined {
  for (const t of rules.terminators) if (t !== '' && text.includes(t)) return `contains the line terminator ${JSON.stringify(t)}`;
  const bad = NOT_ENCODABLE[rules.encoding]?.exec(text);
  if (bad) return `contains ${JSON.stringify(bad[0])}, which ${rules.encoding} cannot encode`;
  return undefined;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : []);

/** The rules a profile sets, read defensively from its raw JSON (it may be invalid elsewhere). */
function rulesOf(raw: Record<string, unknown>): TextRules {
  const framing = isRecord(raw.framing) ? raw.framing : {};
  const t = framing.terminator;
  const terminators = t === undefined ? ['\r'] : typeof t === 'string' ? [t] : strings(t);
  if (typeof framing.sendTerminator === 'string') terminators.push(framing.sendTerminator);
  const e = framing.encoding;
  // An invalid encoding is reported by the schema; utf8 checks nothing more here.
  const encoding = e === undefined ? 'latin1' : (ENCODINGS as readonly unknown[]).includes(e) ? (e as DeviceEncoding) : 'utf8';
  return { terminators, encoding };
}

/** Every text of a profile that is sent to the device, with its path. */
function* deviceTexts(raw: Record<string, unknown>): Generator<[PropertyKey[], string]> {
  for (const [action, command] of Object.entries(isRecord(raw.commands) ? raw.commands : {})) {
    if (!isRecord(command)) continue;
    if (typeof command.send === 'string') {
      const parsed = parseTemplate(command.send);
      if (parsed.ok) for (const part of parsed.template.parts) if ('text' in part) yield [['commands', action, 'send'], part.text];
    }
    for (const [i, line] of strings(command.then).entries()) yield [['commands', action, 'then', i], line];
    for (const [name, arg] of Object.entries(isRecord(command.arguments) ? command.arguments : {})) {
      if (!isRecord(arg)) continue;
      const map = isRecord(arg.map) ? arg.map : {};
      if (typeof arg.decimalSeparator === 'string') yield [['commands', action, 'arguments', name, 'decimalSeparator'], arg.decimalSeparator];
      for (const [key, token] of Object.entries(map)) if (typeof token === 'string') yield [['commands', action, 'arguments', name, 'map', key], token];
      if (arg.type === 'enum' && Array.isArray(arg.values)) {
        for (const [i, value] of arg.values.entries())
          if (typeof value === 'string' && !(value in map)) yield [['commands', action, 'arguments', name, 'values', i], value];
      }
    }
  }
  const queries = isRecord(raw.queries) ? raw.queries : {};
  for (const [i, line] of strings(queries.atStart).entries()) yield [['queries', 'atStart', i], line];
  for (const [i, line] of strings(queries.afterCommand).entries()) yield [['queries', 'afterCommand', i], line];
  const every = isRecord(queries.every) ? queries.every : {};
  for (const [i, line] of strings(every.send).entries()) yield [['queries', 'every', 'send', i], line];
  for (const [p, poll] of (Array.isArray(queries.poll) ? queries.poll : []).entries()) {
    if (isRecord(poll)) for (const [i, line] of strings(poll.send).entries()) yield [['queries', 'poll', p, 'send', i], line];
  }
}

/** Top-level check, run even when other parts are invalid, on the raw input. */
export function checkDeviceTexts(raw: unknown, ctx: Ctx): void {
  if (!isRecord(raw)) return;
  const rules = rulesOf(raw);
  for (const [path, text] of deviceTexts(raw)) {
    const why = unsendable(text, rules);
    if (why) ctx.addIssue({ code: 'custom', path, message: `${why}: everything sent must fit in one line` });
  }
  const commands = isRecord(raw.commands) ? Object.keys(raw.commands).length : 0;
  const statuses = Array.isArray(raw.statuses) ? raw.statuses.length : 0;
  if (
    commands === 0 &&
    statuses === 0 &&
    (raw.commands === undefined || isRecord(raw.commands)) &&
    (raw.statuses === undefined || Array.isArray(raw.statuses))
  ) {
    ctx.addIssue({ code: 'custom', path: [], message: 'has neither commands nor statuses: there would be nothing to do' });
  }
}
