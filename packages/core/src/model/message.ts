import { MessageError } from '../error-catalog.js';
import { checkArgument, type ArgumentOptions } from './argument.js';
import type { JsonValue } from './json.js';

/** Message arguments. Null-prototype records: a key like `__proto__` is just a key. */
export type MessageArguments = Record<string, JsonValue>;

/** The eight characteristics of a message, plus the correlation of a request. */
export interface MessageFields {
  /** Command (`C`) when true, status (`S`) when false. */
  isCmd: boolean;
  function: string;
  gateway: string;
  location: string;
  device: string;
  sender: string;
  action: string;
  arguments: MessageArguments;
  /**
   * Identifies the request a status answers: taken from an incoming command's MQTT 5
   * correlation data or its `correlation` argument, and carried back by `reply()`.
   */
  correlation?: string;
}

export { MessageError };

/**
 * The words a command was written with, where the map turned them into internal keywords: for
 * replies worded for its sender (`pump_on`, not `PUMP_ON`).
 */
export interface SenderWords {
  /** The action as the sender wrote it (the internal action for a message no map translated). */
  readonly action: string;
  /**
   * The sender's name for an internal argument key: as written in the message when it is there,
   * else the map's word for it (what the sender should write); the key itself without a map.
   */
  argument(key: string): string;
}

/** What the map keeps of a message it translated (internal: `InternalMessage` reads it). */
export interface HeardWords extends SenderWords {
  /** The sender's value of an argument named by its internal key, before the map translated it. */
  value(key: string): JsonValue | undefined;
}

/** What `replyWith` turns into a reply: an outcome, such as a device-io `ask()` result. */
export type ReplyOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** True for a status made by `reply()`: it answers one command, so it is never merged with another. */
export function isReply(msg: InternalMessage): boolean {
  return msg instanceof ReplyMessage;
}

// Argument records inherit nothing from Object.prototype, so `__proto__` or `constructor` is just
// a key. They are made by a constructor whose prototype is a null-prototype object rather than
// by Object.create(null): V8 starts the latter as a slow dictionary, and this is the hot path.
function ArgumentRecord(): void {}
ArgumentRecord.prototype = Object.create(null) as object;
const Record_ = ArgumentRecord as unknown as new () => MessageArguments;

/** A new, empty arguments record (no inherited keys: `__proto__` is an ordinary key there). */
export function newArguments(): MessageArguments {
  return new Record_();
}

/** Copies arguments into a fresh record (deep enough: values are immutable JSON). */
export function toArguments(source: Readonly<Record<string, unknown>> | undefined): MessageArguments {
  const out = new Record_();
  if (source) for (const key of Object.keys(source)) out[key] = source[key] as JsonValue;
  return out;
}

// The class takes its fields from MessageFields (declaration merging): one list, not two.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface InternalMessage extends MessageFields {}

/**
 * The internal representation of a message, independent of MQTT topics and vocabulary.
 * Missing characteristics are empty strings.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class InternalMessage {
  // Private: outside Object.keys, JSON and test equality, a message compares as its fields.
  readonly #heard: HeardWords | undefined;

  /**
   * @param fields characteristics; missing ones are empty.
   * @param adoptArguments internal: take `fields.arguments` as is (already a fresh
   *   null-prototype record) instead of copying it, on the per-message path.
   * @param heard internal: the words the map translated (a message read from MQTT).
   */
  constructor(fields: Partial<MessageFields> = {}, adoptArguments = false, heard?: HeardWords) {
    this.#heard = heard;
    this.isCmd = fields.isCmd ?? false;
    this.function = fields.function ?? '';
    this.gateway = fields.gateway ?? '';
    this.location = fields.location ?? '';
    this.device = fields.device ?? '';
    this.sender = fields.sender ?? '';
    this.action = fields.action ?? '';
    this.arguments = adoptArguments && fields.arguments ? fields.arguments : toArguments(fields.arguments);
    if (fields.correlation !== undefined) this.correlation = fields.correlation;
  }

  /** An independent copy (arguments included). */
  copy(): InternalMessage {
    return new InternalMessage(this, false, this.#heard);
  }

  /**
   * The words the sender used, for reply texts: `msg.heard.action` is `pump_on` where
   * `msg.action` is the map's `PUMP_ON`; `msg.heard.argument('SETPOINT')` is `setpoint`.
   */
  get heard(): SenderWords {
    return this.#heard ?? { action: this.action, argument: (key) => key };
  }

  /**
   * The status that answers this command: same function, gateway, location, device and
   * action, sent by this gateway (empty sender), with `response` and `reason` arguments and
   * the command's correlation.
   */
  reply(response: string, reason: string): InternalMessage {
    const args = newArguments();
    args.response = response;
    args.reason = reason;
    // Fields named one by one: a spread of `this` costs an object per reply, on the hot path.
    const fields: Partial<MessageFields> = {
      isCmd: false,
      function: this.function,
      gateway: this.gateway,
      location: this.location,
      device: this.device,
      sender: '',
      action: this.action,
      arguments: args,
    };
    if (this.correlation !== undefined) fields.correlation = this.correlation;
    return new ReplyMessage(fields, true);
  }

  /**
   * The reply for an outcome, in one call: `reply('OK', done)` for `{ ok: true }` (`done`
   * defaults to "<action as the sender wrote it> done", `pump_on done`), `reply('ERROR', reason)`
   * for `{ ok: false, reason }`. A device-io `ask()` result is such an outcome, its `reason`
   * worded for the sender: `msg.replyWith(await device.ask('PUMP ON', patterns))`.
   */
  replyWith(outcome: ReplyOutcome, done?: string): InternalMessage {
    if (!outcome.ok) return this.reply('ERROR', outcome.reason);
    const action = this.#heard?.action ?? this.action;
    return this.reply('OK', done ?? (action === '' ? 'done' : `${action} done`));
  }

  /**
   * An argument's value (coerced to `type` when given), its default, or a MessageError whose
   * message is worded for the sender of the command, ready for `msg.reply('ERROR', err.message)`:
   * `argument "level" must be a number between 0 and 98, got "loud"`, with the argument's name
   * and value as the sender wrote them (`msg.heard`), not as the map translated them.
   */
  argument(key: string, options: ArgumentOptions & { type: 'number' | 'integer'; required: true }): number;
  argument(key: string, options: ArgumentOptions & { type: 'number' | 'integer' }): number | undefined;
  argument(key: string, options: ArgumentOptions & { type: 'string' | 'enum'; required: true }): string;
  argument(key: string, options: ArgumentOptions & { type: 'string' | 'enum' }): string | undefined;
  argument(key: string, options: ArgumentOptions & { type: 'boolean'; required: true }): boolean;
  argument(key: string, options: ArgumentOptions & { type: 'boolean' }): boolean | undefined;
  argument(key: string, options?: ArgumentOptions): JsonValue | undefined;
  argument(key: string, options: ArgumentOptions = {}): JsonValue | undefined {
    if (!hasOwn(this.arguments, key)) {
      if (options.required) throw new MessageError('ARGUMENT_MISSING', `argument "${this.heard.argument(key)}" is missing`);
      return options.default;
    }
    const value = this.arguments[key]!;
    const r = checkArgument(value, options);
    if (r.ok) return r.value;
    const shown = JSON.stringify(this.#heard?.value(key) ?? value);
    const name = this.heard.argument(key);
    throw new MessageError('ARGUMENT_INVALID', `argument "${name}" must be ${r.expected}, got ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}`);
  }

  toString(): string {
    const args = Object.keys(this.arguments).length > 0 ? ` ${JSON.stringify(this.arguments)}` : '';
    const corr = this.correlation !== undefined ? ` correlation=${JSON.stringify(this.correlation)}` : '';
    return (
      `${this.isCmd ? 'C' : 'S'} function=${this.function} gateway=${this.gateway} location=${this.location} ` +
      `device=${this.device} sender=${this.sender} action=${this.action}${args}${corr}`
    );
  }
}

/**
 * A status made by `reply()`. A subclass rather than a marker property: it has the fields of
 * any message (compares, prints and serialises the same), and costs nothing to mark.
 */
class ReplyMessage extends InternalMessage {}
