import { isUtf8 } from 'node:buffer';
import type { JsonValue, MessageArguments } from './message.js';
import { reject, type Converted } from './reject.js';

/** The action and arguments carried by a payload. */
export interface PayloadContent {
  action: string;
  arguments: MessageArguments;
  /** The `correlation` key of a JSON payload, when it is a string. */
  correlation?: string;
}

/** The argument that carries a request's correlation id in JSON payloads. */
export const CORRELATION_KEY = 'correlation';


/**
 * Reads a payload: the action alone as plain text (`light_on`), or a JSON object
 * `{"action": "light_on", "level": 50}` whose other keys are arguments (JSON types kept).
 */
export function parsePayload(payload: Uint8Array | string): Converted<PayloadContent> {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else {
    // isUtf8 (simdutf) then a plain decode is several times faster than a fatal TextDecoder.
    if (!isUtf8(payload)) return reject('payload-encoding', `payload of ${payload.length} bytes is not valid UTF-8`);
    text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  }
  const trimmed = text.trim();
  if (trimmed === '') return reject('payload-empty', 'payload is empty');
  if (trimmed[0] !== '{') return { ok: true, value: { action: trimmed, arguments: Object.create(null) as MessageArguments } };

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
    return reject('payload-no-action', action === undefined ? 'JSON payload has no "action" key' : `JSON payload "action" is ${JSON.stringify(action)}, expected a string`);
  }
  // JSON.parse makes `__proto__` an own key; copying into a null-prototype record keeps it one.
  const args = Object.create(null) as MessageArguments;
  let correlation: string | undefined;
  for (const key of Object.keys(object)) {
    if (key === 'action') continue;
    if (key === CORRELATION_KEY && typeof object[key] === 'string') correlation = object[key];
    else args[key] = object[key]!;
  }
  return { ok: true, value: correlation === undefined ? { action, arguments: args } : { action, arguments: args, correlation } };
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
  const out = Object.create(null) as Record<string, JsonValue>;
  if (action !== '') out.action = action;
  for (const key of keys) out[key] = args[key]!;
  if (correlation !== undefined) out[CORRELATION_KEY] = correlation;
  return { ok: true, value: JSON.stringify(out) };
}
