import { isIP } from 'node:net';
import type { OptionSchema } from '@mg/config';
import { BrokerListError } from '../error-catalog.js';
import { z } from 'zod';

/** One broker of `[MQTT] host`. */
export interface BrokerAddress {
  /** Host name or address as written, IPv6 without brackets. */
  host: string;
  port: number;
}

/** A broker with the URL the connection uses for it (protocol and WebSocket path applied). */
export interface BrokerEndpoint extends BrokerAddress {
  url: string;
}

export { BrokerListError };

const BROKER_LIST_HINT = 'expected host or host:port, comma-separated (an IPv6 address in brackets: [::1]:1883)';

// Letters, digits, hyphens and underscores (some LAN names have them), dot-separated.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function parsePort(text: string, entry: number, written: string): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new BrokerListError(entry, written, `the port after ":" must be a whole number from 1 to 65535, not "${text}"`);
  return n;
}

function checkHost(host: string, entry: number, written: string): void {
  if (isIP(host) === 4) return;
  if (/^[\d.]+$/.test(host)) throw new BrokerListError(entry, written, `"${host}" is not an IPv4 address`);
  if (!HOST_NAME.test(host)) throw new BrokerListError(entry, written, `"${host}" is not a host name or an address`);
}

/** One entry: `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (no port then). */
export function parseBrokerEntry(text: string, defaultPort: number, entry = 1): BrokerAddress {
  const written = text.trim();
  if (written === '') throw new BrokerListError(entry, written, 'the entry is empty');
  if (written.includes('://'))
    throw new BrokerListError(entry, written, 'write host or host:port without a scheme: [MQTT] protocol chooses the transport for every broker');
  if (/\s/.test(written)) throw new BrokerListError(entry, written, 'an entry has no spaces; separate brokers with commas');
  if (written.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(written);
    if (!m || isIP(m[1]!) !== 6) throw new BrokerListError(entry, written, 'expected an IPv6 address in brackets, then optionally ":port" ([::1]:1883)');
    return { host: m[1]!, port: m[2] === undefined ? defaultPort : parsePort(m[2], entry, written) };
  }
  const colons = written.split(':').length - 1;
  if (colons > 1) {
    // A bare IPv6 address: it cannot carry a port, which would be ambiguous.
    if (isIP(written) === 6) return { host: written, port: defaultPort };
    throw new BrokerListError(entry, written, 'an IPv6 address with a port goes in brackets: [::1]:1883');
  }
  const [host, port] = written.split(':') as [string, string | undefined];
  checkHost(host, entry, written);
  return { host, port: port === undefined ? defaultPort : parsePort(port, entry, written) };
}

/** `[MQTT] host`: comma-separated entries, in order. Throws BrokerListError on the first bad one. */
export function parseBrokerList(text: string, defaultPort: number): BrokerAddress[] {
  const entries = text.split(',');
  // A trailing comma is harmless; an empty entry in the middle is a typo worth saying.
  if (entries.length > 1 && entries[entries.length - 1]!.trim() === '') entries.pop();
  return entries.map((e, i) => parseBrokerEntry(e, defaultPort, i + 1));
}

/** How messages name a broker: `host:port`, IPv6 in brackets. */
export function brokerHostPort(b: BrokerAddress): string {
  return `${b.host.includes(':') ? `[${b.host}]` : b.host}:${b.port}`;
}

/** The URL of each broker for a protocol (`mqtt`, `mqtts`, `ws`, `wss`) and a WebSocket path ('' for none). */
export function brokerEndpoints(brokers: readonly BrokerAddress[], protocol: string, path: string): BrokerEndpoint[] {
  return brokers.map((b) => ({ ...b, url: `${protocol}://${brokerHostPort(b)}${path}` }));
}

/** What a bad `[MQTT] host` is told: which entry, what is wrong, what was expected. */
function describeBrokerListError(err: BrokerListError, count: number): string {
  const which = count > 1 ? `entry ${err.entry} of ${count} ("${err.text}"): ` : '';
  return `${which}${err.expected}; ${BROKER_LIST_HINT}`;
}

/**
 * The `[MQTT] host` option: checked entry by entry when the configuration is read (so `--check`
 * names the file, the line and the entry); the value stays the text, parsed with `port` as the
 * default port by `parseBrokerList`.
 */
export function brokerListOption(def: string, description: string): OptionSchema<string> {
  const schema = z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') {
      ctx.addIssue({ code: 'custom', message: `is required: the broker, e.g. "host: 127.0.0.1"; ${BROKER_LIST_HINT}` });
      return z.NEVER;
    }
    try {
      parseBrokerList(text, 1883);
      return text;
    } catch (err) {
      if (!(err instanceof BrokerListError)) throw err;
      ctx.addIssue({ code: 'custom', message: describeBrokerListError(err, parseCount(text)) });
      return z.NEVER;
    }
  });
  return schema.meta({ description, default: def });
}

function parseCount(text: string): number {
  const entries = text.split(',');
  return entries.length > 1 && entries[entries.length - 1]!.trim() === '' ? entries.length - 1 : entries.length;
}
