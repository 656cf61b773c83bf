import { isUtf8 } from 'node:buffer';
import type { JsonValue } from './json.js';
import { newArguments, type MessageArguments } from './message.js';
import { reject, type Converted } from './reject.js';

/** The action and arguments carried by a payload. */
export interface PayloadContent {
  action: string;
  arguments: MessageArguments;
  /** The `correlation` key of a JSON payload, when it is a string. */
  correlation?: string;
}

/** The argument that carries a request's correlation id in JSON payloads. */
const CORRELATION_KEY = 'correlation';

/**
 * Reads a payload: the action alone as plain text (`light_on`), or a JSON object
 * `{"action": "light_on", "level": 50}` whose other keys are arguments (JSON types kept).
 */
export function parsePayload(payload: Uint8Array | string): Converted<PayloadContent> {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else {
    // A Buffer (what MQTT.js gives) decodes directly; toString() with no argument is its fast path.
    text = Buffer.isBuffer(payload) ? payload.toString() : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    // The decoder turns each invalid sequence into U+FFFD: only a text holding one can come from
    // invalid bytes, and only then is the payload checked (an ASCII text is searched in no time).
    if (text.indexOf('\uFFFD') !== -1 && !isUtf8(payload)) return reject('payload-encoding', `payload of ${payload.length} bytes is not valid UTF-8`);
  }
  // trim() copies the string: only when there is something to trim.
  const trimmed = isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)) ? text.trim() : text;
  if (trimmed === '') return reject('payload-empty', 'payload is empty');
  if (trimmed.charCodeAt(0) !== 123 /* { */) return { ok: true, value: { action: trimmed, arguments: newArguments() } };

  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (err) {
    return reject('payload-json', `payload starts with "{" but is not valid JSON: ${(err as Error).message.slice(0, 120)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return reject('payload-json', 'payload starts with "{" but is not a JSON object');
  }
  const object = parsed as Record<string, JsonValue>;
  const action = object.action;
  if (typeof action !== 'string') {
    return reject(
      'payload-no-action',
      action === undefined ? 'JSON payload has no "action" key' : `JSON payload "action" is ${JSON.stringify(action)}, expected a string`,
    );
  }
  // JSON.parse makes `__proto__` an own key; copying into an arguments record keeps it one.
  const args = newArguments();
  let correlation: string | undefined;
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === 'action') continue;
    const value = object[key]!;
    if (key === CORRELATION_KEY && typeof value === 'string') correlation = value;
    else args[key] = value;
  }
  return { ok: true, value: correlation === undefined ? { action, arguments: args } : { action, arguments: args, correlation } };
}

// What String.prototype.trim removes, for the characters a payload starts or ends with in practice;
// anything rarer goes through trim() anyway (the test is only a shortcut).
function isSpace(code: number): boolean {
  return (
    code <= 32 ||
    code === 0xa0 ||
    code === 0xfeff ||
    (code >= 0x1680 &&
      (code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000))
  );
}

/**
 * Writes a payload: the plain action when there are no arguments, else a JSON object with the
 * arguments and `action` (when not empty).
 */
export function buildPayload(action: string, args: MessageArguments, correlation?: string): Converted<string> {
  const keys = Object.keys(args);
  if (keys.length === 0 && correlation === undefined) {
    if (action === '') return reject('empty-message', 'message has neither action nor arguments');
    return { ok: true, value: action };
  }
  // Fast path: the arguments serialised as they are, with the action spliced in front and the
  // correlation at the end (no intermediate object). Arguments that would collide take the slow one.
  if (action !== '' && !hasOwn(args, 'action') && !hasOwn(args, CORRELATION_KEY)) {
    const head = `{"action":${JSON.stringify(action)}`;
    const tail = correlation === undefined ? '}' : `,"${CORRELATION_KEY}":${JSON.stringify(correlation)}}`;
    if (keys.length === 0) return { ok: true, value: head + tail };
    const body = JSON.stringify(args);
    return { ok: true, value: `${head},${body.slice(1, -1)}${tail}` };
  }
  const out = newArguments();
  if (action !== '') out.action = action;
  for (const key of keys) out[key] = args[key]!;
  if (correlation !== undefined) out[CORRELATION_KEY] = correlation;
  return { ok: true, value: JSON.stringify(out) };
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * A published payload with the gateway's `timestamp` key added last: into a JSON object, or a
 * plain action becomes `{"action": "...", "timestamp": ...}` (what a reader of the original
 * syntax accepts either way).
 */
export function stampPayload(payload: string, stamp: string | number): string {
  const value = JSON.stringify(stamp);
  if (payload.charCodeAt(0) === 123 /* { */) return `${payload.slice(0, -1)},"timestamp":${value}}`;
  return `{"action":${JSON.stringify(payload)},"timestamp":${value}}`;
}
