import type { JsonValue } from '../model/json.js';
import { topicMatches } from '../runtime/routes.js';
import type { PublishedMessage } from './memory-transport.js';

/**
 * Fields the payload, read as JSON, must have: a partial match (other fields are ignored, nested
 * objects likewise); a RegExp matches a string field; arrays and other values compare equal.
 */
export interface JsonFields {
  [field: string]: JsonValue | RegExp | JsonFields;
}

/** What `waitFor` looks for; every part given must match. */
export interface PublishedMatch {
  /** The topic, or an MQTT filter (`home/pool/+/status`, `home/#`). */
  topic?: string;
  /** The payload exactly (`'light_on'`), or a pattern it matches. */
  payload?: string | RegExp;
  /** Fields of the payload read as JSON (`{ action: 'pump', state: 'on' }`); a payload that is not a JSON object never matches. */
  json?: JsonFields;
  retain?: boolean;
}

export interface WaitForOptions {
  /**
   * Which messages count. `'call'` (default): those published after `waitFor` was called, so that
   * an earlier message of the same kind is not taken for the one awaited: start the wait, then
   * act (`const reply = gw.waitFor(...); await gw.receive(...); await reply`). `'start'`: every
   * one since the test gateway was created. A number: from that index of `published` on. A
   * message: those published after it.
   */
  since?: 'call' | 'start' | number | PublishedMessage;
  /** Rejects after this long, with what was awaited and the last messages published. Default 5000. */
  timeoutMs?: number;
}

/**
 * The forms `waitFor` takes: a topic (or filter) with the payload or its JSON fields, a match
 * object, or a predicate. `waitFor(topic, { since: 'start' })`: an object with no keys but
 * `since` and `timeoutMs` is taken as the options.
 */
export interface WaitFor {
  (topic: string, expected?: string | RegExp | JsonFields, options?: WaitForOptions): Promise<PublishedMessage>;
  (match: PublishedMatch | ((m: PublishedMessage) => boolean), options?: WaitForOptions): Promise<PublishedMessage>;
}

/** What the gateway's link offers to wait on. */
interface Source {
  readonly published: readonly PublishedMessage[];
  onPublish(listener: (m: PublishedMessage) => void): () => void;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);

const OPTION_KEYS = new Set(['since', 'timeoutMs']);

/** `waitFor(topic, { since: 'start' })`: an object of options alone is read as options, not as JSON fields. */
function isOptions(v: unknown): v is WaitForOptions {
  return isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => OPTION_KEYS.has(k));
}

function fieldMatches(expected: unknown, actual: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (isPlainObject(expected)) return isPlainObject(actual) && Object.entries(expected).every(([k, v]) => k in actual && fieldMatches(v, actual[k]));
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((v, i) => fieldMatches(v, actual[i] as unknown));
  return Object.is(expected, actual);
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/** A predicate from a match object. */
function publishedMatcher(match: PublishedMatch): (m: PublishedMessage) => boolean {
  const { topic, payload, json, retain } = match;
  // A filter without + or # matches its own topic only.
  return (m) =>
    (topic === undefined || topicMatches(topic, m.topic)) &&
    (payload === undefined || (typeof payload === 'string' ? m.payload === payload : payload.test(m.payload))) &&
    (retain === undefined || m.retain === retain) &&
    (json === undefined || fieldMatches(json, parsed(m.payload)));
}

function describeMatch(match: PublishedMatch | ((m: PublishedMessage) => boolean)): string {
  if (typeof match === 'function') return 'nothing matching the predicate';
  const parts = [
    match.topic !== undefined ? `on "${match.topic}"` : 'on any topic',
    match.payload !== undefined ? `with payload ${typeof match.payload === 'string' ? JSON.stringify(match.payload) : String(match.payload)}` : '',
    match.json !== undefined ? `with fields ${JSON.stringify(match.json, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v))}` : '',
    match.retain !== undefined ? (match.retain ? 'retained' : 'not retained') : '',
  ];
  return `no message ${parts.filter(Boolean).join(' ')}`;
}

function sinceText(since: WaitForOptions['since']): string {
  if (since === undefined || since === 'call') return 'after waitFor() was called';
  if (since === 'start') return 'since the start';
  return typeof since === 'number' ? `from published[${since}] on` : `after the message on "${since.topic}"`;
}

/** waitFor() over a link's published messages (the testing kit's TestGateway.waitFor). */
export function waitForOn(source: Source): WaitFor {
  return (first: string | PublishedMatch | ((m: PublishedMessage) => boolean), second?: unknown, third?: WaitForOptions) => {
    let match: PublishedMatch | ((m: PublishedMessage) => boolean);
    let options: WaitForOptions;
    if (typeof first === 'string' && third === undefined && isOptions(second)) {
      match = { topic: first };
      options = second;
    } else if (typeof first === 'string') {
      const expected = second as string | RegExp | JsonFields | undefined;
      match = { topic: first, ...(typeof expected === 'string' || expected instanceof RegExp ? { payload: expected } : expected ? { json: expected } : {}) };
      options = third ?? {};
    } else {
      match = first;
      options = (second as WaitForOptions | undefined) ?? {};
    }
    const { since = 'call', timeoutMs = 5_000 } = options;
    const test = typeof match === 'function' ? match : publishedMatcher(match);
    const from = since === 'call' ? source.published.length : since === 'start' ? 0 : typeof since === 'number' ? since : source.published.indexOf(since) + 1;
    if (typeof since === 'object' && from === 0) throw new TypeError('waitFor(): `since` is a message that was not published by this gateway');
    const found = source.published.slice(from).find(test);
    if (found) return Promise.resolve(found);
    const what = describeMatch(match);
    return new Promise<PublishedMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        const last = source.published.slice(-10).map((m) => `${m.topic} ${m.payload}`);
        reject(new Error(`${what} was published ${sinceText(since)} within ${timeoutMs} ms; the last published:\n  ${last.join('\n  ') || '(nothing)'}`));
      }, timeoutMs);
      const off = source.onPublish((m) => {
        if (!test(m)) return;
        clearTimeout(timer);
        off();
        resolve(m);
      });
    });
  };
}
