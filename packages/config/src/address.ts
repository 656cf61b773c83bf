import { build, fail, ok, type CommonOptions, type OptionSchema } from './options.js';

/** What an `address` option accepts besides `tcp://host:port` and `host:port`. */
export interface AddressOptions extends CommonOptions {
  /**
   * The schemes a `<scheme>://host:port` may use, lower case; `host:port` without one is given
   * the first (`tcp` when listed). Default `['tcp']`; Modbus passes `['tcp', 'rtu+tcp']`.
   */
  schemes?: readonly string[];
  /** A serial device path (`/dev/ttyUSB0`, `./pty-a`, `COM3`) is accepted as it is. Default true. */
  serial?: boolean;
}

type Parsed = { ok: true; value: string } | { ok: false; expected: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const SCHEME_NAME = /^[a-z][a-z0-9+.-]*$/;
// What a serial device is written as: an absolute or relative path, a Windows COM port or device
// path. A bare word (`localhost`, `ttyUSB0`) is not one: it would be opened as a file in the
// working directory and retried forever.
const SERIAL_PATH = /^(\/|\.\.?\/|\\\\|COM\d+$)/i;

/**
 * A device address: `tcp://host:port` (IPv6 as `tcp://[::1]:502`), `host:port` (the value gets
 * `tcp://` in front), `<scheme>://host:port` for each scheme listed, and a serial device path
 * (`/dev/ttyUSB0`, `COM3`) unless `serial: false`. The value is the normalised text: lower-case
 * scheme, port without leading zeros, no trailing `/`; a serial path as written. Anything else
 * (`tcp://127.0.0.1:abc`, port 0, no host, a bare word, an unlisted scheme) is refused with what
 * is wrong and what to write, so `--check` names the file and line.
 */
export function address(def: string, description: string, options: AddressOptions = {}): OptionSchema<string> {
  const { schemes = ['tcp'], serial = true, ...common } = options;
  for (const s of schemes) if (!SCHEME_NAME.test(s)) throw new TypeError(`address(): scheme "${s}" must be lower case, like "tcp" or "rtu+tcp"`);
  if (schemes.length === 0 && !serial) throw new TypeError('address(): no scheme and no serial path: nothing could be accepted');
  const expected = `expected ${acceptedForms(schemes, serial)}`;
  const bad = (what: string) => fail(`${what}: ${expected}`);
  return build((text) => parseAddressText(text, schemes, serial, common.required, bad), { description, default: def, ...common });
}

function acceptedForms(schemes: readonly string[], serial: boolean): string {
  const network = schemes.map((s) => `${s}://host:port`);
  if (network.length > 0) network.push('host:port');
  const path = 'a serial device path such as /dev/ttyUSB0 or COM3';
  if (network.length === 0) return path;
  const last = network.pop()!;
  const hosts = `${network.join(', ')} or ${last} (port 1 to 65535)`;
  return serial ? `${network.join(', ')}, ${last} (port 1 to 65535) or ${path}` : hosts;
}

function parseAddressText(text: string, schemes: readonly string[], serial: boolean, required: string | undefined, bad: (what: string) => Parsed): Parsed {
  if (text === '') return required !== undefined ? fail(`is required: ${required}`) : bad('is empty');
  const scheme = SCHEME.exec(text)?.[1];
  if (scheme !== undefined) {
    const lower = scheme.toLowerCase();
    if (!schemes.includes(lower)) return bad(`the scheme "${scheme}://" is not accepted here`);
    return hostPort(text.slice(scheme.length + 3), lower, bad);
  }
  if (SERIAL_PATH.test(text)) return serial ? ok(text) : bad('a serial device path is not accepted here');
  const schemeLike = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text)?.[1];
  if (schemeLike !== undefined && schemes.includes(schemeLike.toLowerCase())) return bad(`write the scheme with two slashes, "${schemeLike.toLowerCase()}://"`);
  const implied = schemes.includes('tcp') ? 'tcp' : schemes[0];
  if (text.includes(':') && implied !== undefined) return hostPort(text, implied, bad);
  const hint = /^(tty|cu\.)/.test(text) ? `/dev/${text}` : implied !== undefined ? `${implied}://${text}:<port>` : `/dev/${text}`;
  return bad(`"${text}" alone is neither a host with its port nor a device path (did you mean ${hint}?)`);
}

/** `host:port` after the scheme, checked part by part so that the message says which part is wrong. */
function hostPort(rest: string, scheme: string, bad: (what: string) => Parsed): Parsed {
  const bracketed = rest.startsWith('[');
  const hostEnd = bracketed ? rest.indexOf(']') + 1 : /^[^:/?#]*/.exec(rest)![0].length;
  if (bracketed && hostEnd === 0) return bad('an IPv6 address needs its closing "]"');
  const host = rest.slice(0, hostEnd);
  if (!bracketed && /:.*:/.test(rest)) return bad(`an IPv6 address goes in brackets, as in ${scheme}://[::1]:502`);
  if (host === '' || host === '[]') return bad(`there is no host before the port, as in ${scheme}://192.168.1.20:502`);
  const after = rest.slice(hostEnd);
  const portText = after.startsWith(':') ? /^[^/?#]*/.exec(after.slice(1))![0] : '';
  const tail = after.startsWith(':') ? after.slice(1 + portText.length) : after;
  if (portText === '' && (tail === '' || tail === '/')) return bad(`the port is missing, as in ${scheme}://${host}:502`);
  if (tail !== '' && tail !== '/') return bad(`there is more than a host and a port ("${tail}")`);
  if (!/^\d+$/.test(portText)) return bad(`the port "${portText}" is not a number`);
  const port = Number(portText);
  if (port < 1 || port > 65535) return bad(`the port ${portText} is out of range`);
  const value = `${scheme}://${host}:${port}`;
  // The URL parser has the last word on the host: the device's transport reads the address with it.
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '' || url.username !== '' || url.password !== '') return bad(`"${host}" is not a host name or IP address`);
  return ok(value);
}
