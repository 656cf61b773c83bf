import { DeviceAddressError } from './errors.js';

/** Where the device is: a TCP endpoint or a serial device path. */
export type DeviceAddress = { readonly kind: 'tcp'; readonly host: string; readonly port: number } | { readonly kind: 'serial'; readonly path: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const EXPECTED = 'use tcp://host:port for a network device or a serial device path such as /dev/ttyUSB0 or COM3';

/**
 * Reads an address string: `tcp://host:port` (IPv6 as `tcp://[::1]:23`) or anything without a
 * scheme, which is a serial device path (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, `COM3`).
 * Throws a DeviceAddressError (DEVICE_IO_BAD_ADDRESS) naming what is wrong.
 */
export function parseAddress(address: string): DeviceAddress {
  if (typeof address !== 'string' || address.trim() === '') {
    throw new DeviceAddressError(`device address is empty: ${EXPECTED}`);
  }
  if (address !== address.trim()) {
    throw new DeviceAddressError(`device address "${address}" has leading or trailing spaces: remove them`);
  }
  const scheme = SCHEME.exec(address)?.[1];
  if (scheme === undefined) return { kind: 'serial', path: address };
  if (scheme.toLowerCase() !== 'tcp') {
    throw new DeviceAddressError(`device address "${address}" has an unsupported scheme "${scheme}://": ${EXPECTED}`);
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch (cause) {
    throw new DeviceAddressError(`device address "${address}" is not a valid URL: ${EXPECTED}`, { cause });
  }
  // URL keeps the brackets of an IPv6 literal; net.connect wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new DeviceAddressError(`device address "${address}" has no host: ${EXPECTED}`);
  const port = Number(url.port);
  if (url.port === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DeviceAddressError(`device address "${address}" needs a port between 1 and 65535: tcp://${url.hostname}:<port>`);
  }
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new DeviceAddressError(`device address "${address}" has more than a host and a port: use tcp://${url.hostname}:${port}`);
  }
  return { kind: 'tcp', host, port };
}

/** The address as it is written in log lines and messages. */
export function formatAddress(address: DeviceAddress): string {
  if (address.kind === 'serial') return address.path;
  return address.host.includes(':') ? `tcp://[${address.host}]:${address.port}` : `tcp://${address.host}:${address.port}`;
}
