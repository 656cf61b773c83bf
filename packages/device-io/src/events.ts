import type { DeviceConnectionError, DeviceIoError } from './errors.js';
import type { OverflowInfo } from './framer.js';

/**
 * `idle` until start(); `connecting` during the first attempt; then `connected` or
 * `disconnected` (retrying by itself) as the device comes and goes; `stopped` after stop().
 */
export type TransportState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** A change of state, emitted once per change (failed retries are `retry` events, not changes). */
export type StateChange =
  | { readonly state: 'connecting'; readonly address: string }
  | { readonly state: 'connected'; readonly address: string }
  | {
      readonly state: 'disconnected';
      readonly address: string;
      /** Why, in words (`connection to tcp://... refused: ...`). */
      readonly reason: string;
      /** The same with a short `reason` code (`ECONNREFUSED`, `ENOENT`, `closed`) and the cause. */
      readonly error: DeviceConnectionError;
      /** When the next attempt comes, ms. */
      readonly retryInMs: number;
    }
  | { readonly state: 'stopped'; readonly address: string };

/** A failed attempt (or a lost connection) and the delay before the next one. */
export interface RetryInfo {
  /** Failed attempts since the last connection, this one included. */
  readonly attempt: number;
  readonly reason: string;
  readonly error: DeviceConnectionError;
  readonly retryInMs: number;
}

/** The events of a LineTransport, with their arguments. */
export type LineTransportEvents = {
  state: [change: StateChange];
  /** A line (or fixed-length frame), decoded, and its bytes. Answers taken by request() are not here. */
  line: [line: string, bytes: Buffer];
  /** An over-long line was dropped. */
  overflow: [info: OverflowInfo];
  /** A retry was scheduled (for DEBUG logs; the state does not change). */
  retry: [info: RetryInfo];
  /** Something no promise or state reports: a listener that threw. Only emitted when listened to. */
  error: [error: DeviceIoError];
};
