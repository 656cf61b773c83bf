import { isIP } from 'node:net';
import type { IClientOptions } from 'mqtt';
import type { BrokerEndpoint } from './brokers.js';
import type { ConnectionOptions } from './connection-options.js';

const noLog = (): void => undefined;

/**
 * Whether `DEBUG` turns on MQTT.js's logs (namespaces `mqttjs`, `mqttjs:client`…) as the debug
 * module reads it: names split by commas or spaces, `*` a wildcard, `-name` an exclusion. Only
 * then are its logs worth their cost; `DEBUG=mqtt-packet` or `DEBUG=mg` leaves them off.
 */
export function mqttDebug(debug = process.env.DEBUG ?? ''): boolean {
  let on = false;
  for (const name of debug.split(/[\s,]+/)) {
    const exclude = name.startsWith('-');
    const glob = exclude ? name.slice(1) : name;
    if (glob === '') continue;
    const pattern = new RegExp(`^${glob.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (!pattern.test('mqttjs') && !pattern.test('mqttjs:client')) continue;
    if (exclude) return false;
    on = true;
  }
  return on;
}

/**
 * MQTT.js's options for a connection: the first reconnection delay and the last will's payload
 * come from the caller (its backoff, its availability payloads).
 */
/**
 * How long an attempt waits for its CONNACK: 1.5 keepalives, between 2 and 10 s. Before the
 * CONNACK no keepalive runs, so a CONNECT lost in a half-open link would otherwise hold the
 * gateway for the whole timeout; who set a short keepalive to notice dead links fast wants this
 * one noticed as fast.
 */
export function connectTimeoutMs(keepaliveS: number): number {
  return keepaliveS > 0 ? Math.min(10_000, Math.max(2_000, keepaliveS * 1500)) : 10_000;
}

export function clientOptions(o: ConnectionOptions, reconnectPeriod: number, willPayload: string): IClientOptions {
  return {
    clientId: o.clientId,
    keepalive: o.keepalive,
    clean: o.clean,
    protocolVersion: o.version,
    username: o.username || undefined,
    password: o.password || undefined,
    ca: o.ca,
    cert: o.cert,
    key: o.key,
    rejectUnauthorized: o.rejectUnauthorized,
    reconnectPeriod,
    reconnectOnConnackError: true,
    connectTimeout: o.connectTimeoutMs ?? connectTimeoutMs(o.keepalive),
    // MQTT.js logs every packet through the debug module: even when off, that costs about 6 %
    // of the gateway's time per message. Its logs come back with DEBUG=mqttjs* (or `*`).
    log: mqttDebug() ? undefined : noLog,
    // Subscriptions are made on every connection here, and the outbox replaces MQTT.js's
    // unbounded offline queue.
    resubscribe: false,
    queueQoSZero: false,
    properties: o.version === 5 && !o.clean ? { sessionExpiryInterval: o.sessionExpiry } : undefined,
    will: o.availabilityTopic ? { topic: o.availabilityTopic, payload: Buffer.from(willPayload), qos: 1, retain: true } : undefined,
  };
}

/**
 * Points a client's options at another broker of the list: MQTT.js reads the host from them on
 * each attempt (its own `servers` rotation keeps the TLS server name of the first broker).
 */
export function aimAt(options: IClientOptions, b: BrokerEndpoint): void {
  const opts = options as IClientOptions & { hostname?: string; servername?: string };
  opts.host = b.host;
  opts.hostname = b.host;
  opts.port = b.port;
  // Certificates are checked against the name of the broker actually reached.
  if (isIP(b.host) === 0) opts.servername = b.host;
  else delete opts.servername;
}
