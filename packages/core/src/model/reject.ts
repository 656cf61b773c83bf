import type { Characteristic } from './characteristics.js';

/** Why a message was not passed on. Every reason is counted and logged (throttled). */
export const REJECT_REASONS = [
  /** Incoming topic has the wrong number of levels for `root/function/gateway/location/device/sender/type`. */
  'topic-levels',
  /** Last topic level is not `C` or `S`. */
  'topic-type',
  /** Topic does not start with the configured root. */
  'topic-root',
  /** Payload is not valid UTF-8. */
  'payload-encoding',
  /** Payload is empty. */
  'payload-empty',
  /** Payload starts with `{` but is not a JSON object. */
  'payload-json',
  /** JSON payload has no string `action`. */
  'payload-no-action',
  /** A token is not in a strict map. */
  'strict-miss',
  /** The message comes from this gateway itself (echo suppression). */
  'echo',
  /** An outgoing token contains `/`, `+`, `#` or NUL and cannot be put in a topic. */
  'bad-token',
  /** An outgoing message has neither action nor arguments. */
  'empty-message',
  /** A convention's write (Home Assistant, Homie) names no declared capability, or a value it does not take. */
  'invalid-value',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * Why a conversion has no value: `reason` (counted), `detail` (words for the log) and, where
 * known, the structured facts, so that no caller reads the words: the characteristic and token
 * a strict map does not know, the topic, and the payload's action and correlation when it was read.
 */
export interface Rejection {
  ok: false;
  reason: RejectReason;
  detail: string;
  characteristic?: Characteristic;
  token?: string;
  topic?: string;
  action?: string;
  correlation?: string;
}

/** The outcome of a conversion: the value, or why there is none. */
export type Converted<T> = { ok: true; value: T } | Rejection;

export const reject = (reason: RejectReason, detail: string, facts?: Omit<Rejection, 'ok' | 'reason' | 'detail'>): Rejection => ({
  ok: false,
  reason,
  detail,
  ...facts,
});
