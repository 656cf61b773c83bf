import { ModbusError } from '../errors.js';

/** Where the bus is: Modbus TCP, RTU frames over a TCP serial server, or RTU on a serial port. */
export type BusAddress =
  { readonly kind: 'tcp' | 'rtu+tcp'; readonly host: string; readonly port: number } | { readonly kind: 'serial'; readonly path: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const EXPECTED = 'use tcp://host:port (Modbus TCP), rtu+tcp://host:port (RTU over a TCP serial server) or a serial device path such as /dev/ttyUSB0';

/** Reads `[INTERFACE] address`; throws a ModbusError (MODBUS_CONFIG) saying what is wrong and what is expected. */
export function parseBusAddress(address: string): BusAddress {
  const text = address.trim();
  if (text === '') throw new ModbusError('MODBUS_CONFIG', `the address is empty: ${EXPECTED}`);
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'serial', path: text };
  if (scheme !== 'tcp' && scheme !== 'rtu+tcp') {
    throw new ModbusError('MODBUS_CONFIG', `address "${text}" has an unsupported scheme "${scheme}://": ${EXPECTED}`);
  }
  const portText = /:(\d+)\/?$/.exec(text)?.[1];
  const port = portText === undefined ? 502 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ModbusError('MODBUS_CONFIG', `address "${text}" needs a port between 1 and 65535, e.g. ${scheme}://host:502`);
  }
  let url: URL;
  try {
    // URL parses host and port of a special scheme only; the scheme is known by now.
    url = new URL(`http://${text.slice(scheme.length + 3)}`);
  } catch (cause) {
    throw new ModbusError('MODBUS_CONFIG', `address "${text}" is not a valid host and port: ${EXPECTED}`, { cause });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new ModbusError('MODBUS_CONFIG', `address "${text}" has no host: ${EXPECTED}`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new ModbusError('MODBUS_CONFIG', `address "${text}" has more than a host and a port: use ${scheme}://${url.hostname}:port`);
  }
  return { kind: scheme, host, port };
}

/** The address as it is written in log lines. */
export function formatBusAddress(a: BusAddress): string {
  if (a.kind === 'serial') return a.path;
  return `${a.kind}://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
