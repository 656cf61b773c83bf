import type { DeviceEncoding, FramingOptions } from './framer.js';
import type { DeviceLogger } from './logger.js';
import type { SerialOptions } from './serial-transport.js';
import type { TcpOptions } from './tcp-transport.js';

/** Reconnection delays (see @mg/backoff): they double from minMs to maxMs, with jitter. */
export interface ReconnectOptions {
  /** First delay, ms (the first retry comes after half to all of it). Default 1000. */
  minMs?: number;
  /** Longest delay, ms. Default 30 000. */
  maxMs?: number;
  /**
   * A connection that lasted this long starts the next outage from minMs again; one that
   * ended sooner keeps the delays growing, so a device that accepts then hangs up at once is
   * not hammered. Default 5000.
   */
  stableMs?: number;
  /**
   * A new connection is announced (the `connected` state) once it has lasted this long, ms: one
   * the device closes sooner is a failed attempt, with no connected/disconnected flap. Writes,
   * requests and lines work during it. Default 250; at most stableMs (0: announced at once).
   */
  settleMs?: number;
  /** Randomness in [0, 1) for the jitter; default Math.random. */
  random?: () => number;
}

export interface LineTransportOptions {
  /** `tcp://host:port`, or a serial device path (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, `COM3`). */
  address: string;
  /** A name for log lines and error messages. Default: the address. */
  name?: string;
  /** How incoming bytes are cut. Default: lines ended by `\r\n`, `\r` or `\n`, 1024 bytes at most. */
  framing?: FramingOptions;
  /** Text encoding of lines and commands. Default 'latin1' (one byte, one character). */
  encoding?: DeviceEncoding;
  /**
   * Appended to every command written. Default: the framing terminator (the first of a list,
   * so `\r\n` for the default framing); '' with length framing.
   */
  sendTerminator?: string;
  /** Least time between two writes, ms (from the end of one to the start of the next). Default 0. */
  spacingMs?: number;
  /** Writes that may wait for their turn; one more is rejected (WriteQueueFullError). Default 100. */
  maxQueuedWrites?: number;
  /** Default timeout of request(), ms. Default 2000. */
  requestTimeoutMs?: number;
  reconnect?: ReconnectOptions;
  /** For tcp:// addresses. */
  tcp?: TcpOptions;
  /** For serial device paths. */
  serial?: SerialOptions;
  /** Where the transport logs (DEBUG: attempts and states; WARN: what nobody listened to). Default: nowhere. */
  logger?: DeviceLogger;
}

export interface RequestOptions {
  /** What the answer looks like: a regular expression it matches, or a test. */
  match: RegExp | ((line: string) => boolean);
  /** How long to wait for it once the command is written, ms. Default: the transport's requestTimeoutMs. */
  timeoutMs?: number;
  /** False: the answer is also emitted as a `line` event. Default true (the requester only). */
  consume?: boolean;
  /**
   * Gives up when it aborts (a PollScheduler's timeout or stop): the request rejects with the
   * signal's reason; a command still queued is not written, and an answer that comes later is
   * a plain `line`.
   */
  signal?: AbortSignal;
}

export const DEFAULT_RECONNECT_MIN_MS = 1_000;
export const DEFAULT_RECONNECT_MAX_MS = 30_000;
export const DEFAULT_STABLE_MS = 5_000;
export const DEFAULT_SETTLE_MS = 250;
export const DEFAULT_REQUEST_TIMEOUT_MS = 2_000;
