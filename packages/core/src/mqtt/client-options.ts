import { isIP } from 'node:net';
import type { IClientOptions } from 'mqtt';
import type { BrokerEndpoint } from './brokers.js';
import type { ConnectionOptions } from './connection-options.js';

const noLog = (): void => undefined;

/** Whether MQTT.js's own debug logs may be asked for (`DEBUG=mqttjs*`, `mqtt*`, `*`), read when connecting. */
function mqttDebug(): boolean {
  return /(^|[\s,])(mqtt|\*)/.test(process.env.DEBUG ?? '');
}

/**
 * MQTT.js's options for a connection: the first reconnection delay and the last will's payload
 * come from the caller (its backoff, its availability payloads).
 */
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
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    // MQTT.js logs every packet through the debug module: even when off, that costs about 6 %
    // of the gateway's time per message. Its logs come back with DEBUG=mqttjs*.
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
