import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, address, defineConfig, loadConfig, optionMeta, renderOptionsTable, section } from './index.js';

const parse = (text: string, options?: Parameters<typeof address>[2]) => address('', 'Device.', options).safeParse(text);
const value = (text: string, options?: Parameters<typeof address>[2]) => {
  const r = parse(text, options);
  if (!r.success) throw new Error(`"${text}" refused: ${r.error.issues[0]?.message}`);
  return r.data;
};
const refusal = (text: string, options?: Parameters<typeof address>[2]) => {
  const r = parse(text, options);
  if (r.success) throw new Error(`"${text}" accepted as ${r.data}`);
  return r.error.issues[0]!.message;
};

describe('address()', () => {
  it.each([
    ['tcp://192.168.1.20:23', 'tcp://192.168.1.20:23'],
    ['TCP://avr.local:23/', 'tcp://avr.local:23'],
    ['tcp://[::1]:2323', 'tcp://[::1]:2323'],
    ['tcp://localhost:00502', 'tcp://localhost:502'],
    ['tcp://127.0.0.1:65535', 'tcp://127.0.0.1:65535'],
    ['  tcp://127.0.0.1:1  ', 'tcp://127.0.0.1:1'],
  ])('takes %j as %j', (text, normalised) => {
    expect(value(text)).toBe(normalised);
  });

  it.each([
    ['127.0.0.1:47259', 'tcp://127.0.0.1:47259'],
    ['pool.local:23', 'tcp://pool.local:23'],
    ['[fe80::1]:502', 'tcp://[fe80::1]:502'],
  ])('gives host:port %j the tcp:// it lacks: %j', (text, normalised) => {
    expect(value(text)).toBe(normalised);
  });

  // The serial paths @mg/device-io's parseAddress reads (its own tests' list), taken as written.
  it.each(['/dev/ttyUSB0', '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', 'COM3', 'com12', './pty-a', '../pty-b', '\\\\.\\COM10', '/tmp/mg-pty-1'])(
    'takes the serial path %j as it is',
    (path) => {
      expect(value(path)).toBe(path);
    },
  );

  it.each([
    ['tcp://127.0.0.1:abc', /^the port "abc" is not a number: expected tcp:\/\/host:port, host:port \(port 1 to 65535\) or a serial device path/],
    ['tcp://127.0.0.1:0', /^the port 0 is out of range: expected/],
    ['tcp://127.0.0.1:65536', /^the port 65536 is out of range/],
    ['127.0.0.1:-1', /^the port "-1" is not a number/],
    ['tcp://127.0.0.1', /^the port is missing, as in tcp:\/\/127\.0\.0\.1:502/],
    ['tcp://:23', /^there is no host before the port/],
    ['tcp://', /^there is no host/],
    [':23', /^there is no host/],
    ['tcp://[::1:23', /IPv6 address needs its closing "\]"/],
    ['tcp://::1:23', /IPv6 address goes in brackets, as in tcp:\/\/\[::1\]:502/],
    ['tcp://avr.local:23/x', /more than a host and a port \("\/x"\)/],
    ['tcp://user@avr.local:23', /"user@avr.local" is not a host name or IP address/],
    ['tcp://a b:23', /"a b" is not a host name/],
    ['udp://h:23', /^the scheme "udp:\/\/" is not accepted here/],
    ['tcp:/h:23', /^write the scheme with two slashes, "tcp:\/\/"/],
    ['localhost', /^"localhost" alone is neither a host with its port nor a device path \(did you mean tcp:\/\/localhost:<port>\?\)/],
    ['ttyUSB0', /did you mean \/dev\/ttyUSB0\?/],
    ['', /^is empty: expected/],
  ])('refuses %j, saying what is wrong and what to write', (text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it('takes the schemes it is given, host:port getting the first listed when tcp is not', () => {
    const modbus = { schemes: ['tcp', 'rtu+tcp'] } as const;
    expect(value('rtu+tcp://10.0.0.5:502', modbus)).toBe('rtu+tcp://10.0.0.5:502');
    expect(value('RTU+TCP://10.0.0.5:502', modbus)).toBe('rtu+tcp://10.0.0.5:502');
    expect(value('10.0.0.5:502', modbus)).toBe('tcp://10.0.0.5:502');
    expect(value('10.0.0.5:502', { schemes: ['rtu+tcp'] })).toBe('rtu+tcp://10.0.0.5:502');
    expect(refusal('rtu+tcp://10.0.0.5:x', modbus)).toMatch(
      /^the port "x" is not a number: expected tcp:\/\/host:port, rtu\+tcp:\/\/host:port, host:port \(port 1 to 65535\)/,
    );
    expect(refusal('rtu+tcp://10.0.0.5:502')).toMatch(/scheme "rtu\+tcp:\/\/" is not accepted/);
  });

  it('refuses a serial path when serial is false, and saying so', () => {
    expect(refusal('/dev/ttyUSB0', { serial: false })).toBe(
      'a serial device path is not accepted here: expected tcp://host:port or host:port (port 1 to 65535)',
    );
    expect(value('host:1', { serial: false })).toBe('tcp://host:1');
  });

  it('takes only serial paths with no scheme listed', () => {
    expect(value('/dev/ttyS0', { schemes: [] })).toBe('/dev/ttyS0');
    expect(refusal('tcp://h:1', { schemes: [] })).toBe('the scheme "tcp://" is not accepted here: expected a serial device path such as /dev/ttyUSB0 or COM3');
    expect(refusal('h:1', { schemes: [] })).toMatch(/^"h:1" alone is neither/);
  });

  it('words an empty required value with its hint, and keeps the other metadata', () => {
    const schema = address('', 'Where the pool controller is.', { required: 'give the controller, e.g. "port: tcp://192.168.1.30:4001"', secret: true });
    expect(schema.safeParse('').error?.issues[0]?.message).toBe('is required: give the controller, e.g. "port: tcp://192.168.1.30:4001"');
    expect(optionMeta(schema)).toEqual({
      description: 'Where the pool controller is.',
      default: '',
      required: 'give the controller, e.g. "port: tcp://192.168.1.30:4001"',
      secret: true,
    });
    expect(renderOptionsTable({ port: schema })).toContain('| `port` | (required) | Where the pool controller is. |');
  });

  it('refuses schemes it could never match, and an option that could accept nothing', () => {
    expect(() => address('', 'x', { schemes: ['TCP'] })).toThrow(/scheme "TCP" must be lower case/);
    expect(() => address('', 'x', { schemes: [], serial: false })).toThrow(/nothing could be accepted/);
  });
});

describe('an address in a configuration file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-config-address-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const schema = defineConfig({ INTERFACE: section({ port: address('/dev/ttyUSB0', 'The controller.') }, 'The interface.') });

  it('fails with the file, the line, the value and what to write', () => {
    const file = join(dir, 'pool2mqtt.conf');
    writeFileSync(file, '[INTERFACE]\n# the controller\nport: tcp://127.0.0.1:abc\n');
    let error: unknown;
    try {
      loadConfig(schema, { files: [file] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `invalid configuration: ${file}:3: [INTERFACE] port = "tcp://127.0.0.1:abc": the port "abc" is not a number: expected tcp://host:port, host:port (port 1 to 65535) or a serial device path such as /dev/ttyUSB0 or COM3`,
    );
  });

  it('gives the normalised address to the application', () => {
    const file = join(dir, 'pool2mqtt.conf');
    writeFileSync(file, '[INTERFACE]\nport = 127.0.0.1:47259\n');
    expect(loadConfig(schema, { files: [file] }).values.INTERFACE.port).toBe('tcp://127.0.0.1:47259');
    expect(loadConfig(schema).values.INTERFACE.port).toBe('/dev/ttyUSB0');
  });
});
