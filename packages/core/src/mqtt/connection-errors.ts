import type { ConnectionOptions } from './connection-options.js';

// CONNACK codes of MQTT 3.1.1 and 5 that retrying soon will not fix.
const AUTH_CODES = new Set([4, 5, 134, 135]);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** A message a user can act on for an MQTT.js error; `fatal` errors wait the longest delay. */
export function describeConnectionError(
  err: Error,
  o: Pick<ConnectionOptions, 'url' | 'clientId' | 'username'> & { version?: 4 | 5 },
): { message: string; fatal: boolean } {
  const code = (err as { code?: unknown }).code;
  // An MQTT 3.1.1 broker answers an MQTT 5 CONNECT with return code 1 (NATS 2.9, aedes do).
  if (code === 1 && o.version === 5) {
    return { message: `the broker at ${o.url} does not speak MQTT 5 (${err.message}): set [MQTT] version: 3.1.1`, fatal: true };
  }
  if (typeof code === 'number' && AUTH_CODES.has(code)) {
    const who = o.username ? `user "${o.username}"` : 'an anonymous client';
    return {
      message: `the broker at ${o.url} refused ${who}: ${err.message}. Check [MQTT] username and password (or passwordfile); retrying at the longest reconnection delay meanwhile`,
      fatal: true,
    };
  }
  if (typeof code === 'number') {
    return { message: `the broker at ${o.url} refused the connection: ${err.message}`, fatal: code === 2 || code === 133 };
  }
  if (typeof code === 'string' && TLS_CODES.has(code)) {
    return {
      message: `TLS handshake with ${o.url} failed (${code}): ${err.message}. Check [MQTT] cafile (the CA that signed the broker certificate) and that host matches the certificate`,
      fatal: true,
    };
  }
  if (err.message === 'connack timeout') {
    // NATS nodes do this for a few seconds after another node of their cluster died.
    return { message: `the broker at ${o.url} accepted the connection but did not answer the MQTT CONNECT in time`, fatal: false };
  }
  if (code === 'ECONNREFUSED') return { message: `cannot connect to ${o.url}: connection refused (is the broker running?)`, fatal: false };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { message: `cannot connect to ${o.url}: host name not found`, fatal: false };
  return { message: `MQTT connection error with ${o.url}: ${err.message}`, fatal: false };
}
