import { Backoff } from '@mg/backoff';
import type { DeviceAddress } from './address.js';
import type { ChannelOpener } from './channel.js';
import { DeviceOptionError, messageOf } from './errors.js';
import { DEFAULT_TERMINATORS, type DeviceEncoding } from './framer.js';
import { DEFAULT_RECONNECT_MAX_MS, DEFAULT_RECONNECT_MIN_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_SETTLE_MS, DEFAULT_STABLE_MS } from './options.js';
import type { LineTransportOptions } from './options.js';
import { loadSerialport, serialOpener } from './serial-transport.js';
import { tcpOpener } from './tcp-transport.js';

const ENCODINGS: readonly DeviceEncoding[] = ['latin1', 'ascii', 'utf8'];

/** A LineTransport's options checked, with their defaults. */
export interface TransportSettings {
  encoding: DeviceEncoding;
  sendTerminator: Buffer;
  requestTimeoutMs: number;
  backoff: Backoff;
  stableMs: number;
  /** Never more than stableMs. */
  settleMs: number;
  opener: ChannelOpener;
}

/** Checks the options (the framing is checked by the Framer); throws DeviceOptionError or SerialportUnavailableError. */
export function transportSettings(options: LineTransportOptions, address: DeviceAddress): TransportSettings {
  const encoding = options.encoding ?? 'latin1';
  if (!ENCODINGS.includes(encoding)) throw new DeviceOptionError(`encoding must be latin1, ascii or utf8, got ${String(options.encoding)}`);
  const framing = options.framing ?? {};
  const first = 'length' in framing ? '' : typeof framing.terminator === 'string' ? framing.terminator : (framing.terminator ?? DEFAULT_TERMINATORS)[0];
  // A bad terminator is the Framer's to report, with its own message.
  const terminator = typeof first === 'string' ? first : '';
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(requestTimeoutMs > 0) || !Number.isFinite(requestTimeoutMs)) {
    throw new DeviceOptionError(`requestTimeoutMs must be a number of milliseconds > 0, got ${String(options.requestTimeoutMs)}`);
  }
  const r = options.reconnect ?? {};
  let backoff: Backoff;
  try {
    backoff = new Backoff({ minMs: r.minMs ?? DEFAULT_RECONNECT_MIN_MS, maxMs: r.maxMs ?? DEFAULT_RECONNECT_MAX_MS, random: r.random });
  } catch (cause) {
    throw new DeviceOptionError(`reconnect delays: ${messageOf(cause)}`, { cause });
  }
  const stableMs = r.stableMs ?? DEFAULT_STABLE_MS;
  if (!(stableMs >= 0)) throw new DeviceOptionError(`reconnect.stableMs must be a number of milliseconds >= 0, got ${String(r.stableMs)}`);
  const settleMs = r.settleMs ?? DEFAULT_SETTLE_MS;
  if (!(settleMs >= 0) || !Number.isFinite(settleMs))
    throw new DeviceOptionError(`reconnect.settleMs must be a number of milliseconds >= 0, got ${String(r.settleMs)}`);
  // Loaded here, not at import: TCP-only users need not install serialport.
  const opener =
    address.kind === 'tcp' ? tcpOpener(address.host, address.port, options.tcp) : serialOpener(address.path, options.serial ?? {}, loadSerialport());
  return {
    encoding,
    sendTerminator: Buffer.from(options.sendTerminator ?? terminator, encoding),
    requestTimeoutMs,
    backoff,
    stableMs,
    settleMs: Math.min(settleMs, stableMs),
    opener,
  };
}
