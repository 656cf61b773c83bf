import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext } from '@mg/core/testing';
import { SerialInterface } from '../serial-interface.js';
import { configFileOf, serialInterfaceFor } from './launch.js';

const BROKEN = {
  name: 'broken',
  description: 'a profile with three mistakes',
  commands: { VOL_SET: { send: 'MV{lvl}', arguments: { level: { type: 'number' } }, confirm: 'MV(' } },
  statuses: [{ match: 'MV(\\d\\d)', action: 'VOLUME' }],
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-serial-options-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ADDRESS_FORMS = 'expected tcp://host:port, host:port (port 1 to 65535) or a serial device path such as /dev/ttyUSB0 or COM3';

describe('the [INTERFACE] options of SerialInterface', () => {
  it('types them, with the defaults', () => {
    const { context } = createTestContext(SerialInterface, { port: '/dev/ttyUSB0', profile: 'denon-avr', databits: '7', parity: 'EVEN', replytimeout: '0.5' });
    expect(context.options).toEqual({
      port: '/dev/ttyUSB0',
      baudrate: 9600,
      databits: '7',
      parity: 'even',
      stopbits: '1',
      profile: 'denon-avr',
      function: '',
      location: '',
      device: '',
      deviceid: '',
      devicename: '',
      replytimeout: 0.5,
      reconnectmin: 1,
      reconnectmax: 30,
    });
  });

  it('takes host:port as tcp://host:port, as the transport wants it', () => {
    const { context } = createTestContext(SerialInterface, { port: '127.0.0.1:0047259', profile: 'denon-avr' });
    expect(context.options.port).toBe('tcp://127.0.0.1:47259');
  });

  it('requires port and profile, saying what to put there', () => {
    expect(() => createTestContext(SerialInterface, {})).toThrow(
      [
        'invalid configuration:',
        '  createTestContext() options: [INTERFACE] port: is required: give the device, e.g. "port: /dev/ttyUSB0" or "port: tcp://192.168.1.20:23"',
        '  createTestContext() options: [INTERFACE] profile: is required: name a shipped profile or a profile file, e.g. "profile: denon-avr"',
      ].join('\n'),
    );
  });

  it.each([
    ['port', 'ftp://avr:23', `the scheme "ftp://" is not accepted here: ${ADDRESS_FORMS}`],
    ['port', 'tcp://avr', `the port is missing, as in tcp://avr:502: ${ADDRESS_FORMS}`],
    ['port', 'tcp://127.0.0.1:abc', `the port "abc" is not a number: ${ADDRESS_FORMS}`],
    ['port', 'tcp://127.0.0.1:70000', `the port 70000 is out of range: ${ADDRESS_FORMS}`],
    ['port', 'ttyUSB0', `"ttyUSB0" alone is neither a host with its port nor a device path (did you mean /dev/ttyUSB0?): ${ADDRESS_FORMS}`],
    ['profile', 'denon', 'no shipped profile is called "denon" (shipped: denon-avr); for a file of yours give its path, e.g. ./denon.json'],
    ['baudrate', '0', 'expected an integer >= 1'],
    ['databits', '9', 'expected one of 8, 7, 6, 5'],
    ['stopbits', '3', 'expected one of 1, 1.5, 2'],
    ['replytimeout', '0', 'expected a number from 0.001 to 3600'],
  ])('refuses %s = %j with what was expected', (option, value, expected) => {
    const options = { port: 'tcp://127.0.0.1:23', profile: 'denon-avr', [option]: value };
    expect(() => createTestContext(SerialInterface, options)).toThrow(`[INTERFACE] ${option} = ${JSON.stringify(value)}: ${expected}`);
  });

  it('loads an absolute profile file while validating, and names the JSON path of each problem', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(BROKEN));
    expect(() => createTestContext(SerialInterface, { port: 'tcp://127.0.0.1:23', profile: file })).toThrow(
      `[INTERFACE] profile = ${JSON.stringify(file)}: ${file}: invalid profile, 3 problems:\n  commands.VOL_SET.confirm: invalid regular expression: Unterminated group\n  commands.VOL_SET.send: placeholder {lvl}`,
    );
  });
});

describe("the launcher's class: relative profile files next to the configuration file", () => {
  it('finds the configuration file as startGateway does', () => {
    expect(configFileOf(['-c', 'etc/my.conf'], 'serial2mqtt', dir)).toBe(join(process.cwd(), 'etc', 'my.conf'));
    expect(configFileOf([`--conf=${join(dir, 'a.conf')}`, '--check'], 'serial2mqtt', dir)).toBe(join(dir, 'a.conf'));
    expect(configFileOf(['--bogus'], 'serial2mqtt', dir)).toBeUndefined();
  });

  it("validates a relative profile against the configuration file's directory, not the working directory", () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(BROKEN));
    const Bound = serialInterfaceFor(join(dir, 'serial2mqtt.conf'));
    expect(Bound.name).toBe('SerialInterface');
    expect(() => createTestContext(Bound, { port: 'tcp://127.0.0.1:23', profile: 'broken.json' })).toThrow(
      `${join(dir, 'broken.json')}: invalid profile, 3 problems:`,
    );
    expect(() => createTestContext(Bound, { port: 'tcp://127.0.0.1:23', profile: 'missing.json' })).toThrow(
      `profile ${join(dir, 'missing.json')} does not exist`,
    );
    // Without a configuration file the option cannot know where to look: the constructor does.
    expect(() => createTestContext(SerialInterface, { port: 'tcp://127.0.0.1:23', profile: 'broken.json' })).not.toThrow();
  });
});
