import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext } from '@mg/core/testing';
import { ModbusInterface } from '../modbus-interface.js';
import { configFileOf, modbusInterfaceFor } from './launch.js';

const BROKEN = {
  name: 'broken',
  description: 'a profile with two mistakes',
  points: [
    { id: 'voltage', table: 'input', address: 0, type: 'float33' },
    { id: 'relay', table: 'input', address: 1, write: true },
  ],
};
const GOOD = { name: 'mine', description: 'one register', points: [{ id: 'level', table: 'holding', address: 3 }] };

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-modbus-options-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the [INTERFACE] options of ModbusInterface', () => {
  it('types them, with the defaults', () => {
    const { context } = createTestContext(ModbusInterface, { address: '10.0.0.5:502', devices: 'meter:1:eastron-sdm630, m2 : 2 : eastron-sdm630' });
    expect(context.options).toEqual({
      address: 'tcp://10.0.0.5:502',
      devices: ['meter:1:eastron-sdm630', 'm2 : 2 : eastron-sdm630'],
      baudrate: 9600,
      parity: 'none',
      databits: '8',
      stopbits: '1',
      interframe: '',
      timeout: 1000,
      retries: 1,
      maxgap: 8,
      function: '',
      location: '',
      reconnectmin: 1,
      reconnectmax: 30,
    });
  });

  it('requires address and devices, saying what to put there', () => {
    expect(() => createTestContext(ModbusInterface, {})).toThrow(
      '[INTERFACE] address: is required: give the bus, e.g. "address: tcp://192.168.1.30:502" or "address: /dev/ttyUSB0"',
    );
    expect(() => createTestContext(ModbusInterface, { address: '/dev/ttyUSB0' })).toThrow(
      '[INTERFACE] devices: lists no device (e.g. "devices: meter:1:eastron-sdm630, relays:2:generic-relay-board")',
    );
  });

  it.each([
    [
      'address',
      'modbus://gw:502',
      'the scheme "modbus://" is not accepted here: expected tcp://host:port, rtu+tcp://host:port, host:port (port 1 to 65535) or a serial device path',
    ],
    ['address', 'tcp://gw:99999', 'the port 99999 is out of range'],
    ['address', 'rtu+tcp://gw', 'the port is missing, as in rtu+tcp://gw:502'],
    ['devices', 'meter:1', '"meter:1" is not name:unit:profile'],
    ['devices', 'meter:1:eastron-sdm', 'meter (unit 1): no profile "eastron-sdm": it is not a shipped profile'],
    ['interframe', 'fast', 'expected a number of milliseconds from 0 to 1000, or empty for 3.5 characters at the baud rate'],
    ['timeout', '0', 'expected an integer from 10 to 60000'],
    ['retries', '11', 'expected an integer from 0 to 10'],
    ['parity', 'strange', 'expected one of none, even, odd, mark, space'],
  ])('refuses %s = %j with what was expected', (option, value, expected) => {
    const options = { address: 'tcp://127.0.0.1:502', devices: 'meter:1:eastron-sdm630', [option]: value };
    expect(() => createTestContext(ModbusInterface, options)).toThrow(`[INTERFACE] ${option} = ${JSON.stringify(value)}: `);
    expect(() => createTestContext(ModbusInterface, options)).toThrow(expected);
  });

  it('loads an absolute profile file while validating, and names the file and the JSON path of each problem', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(BROKEN));
    expect(() => createTestContext(ModbusInterface, { address: 'tcp://127.0.0.1:502', devices: `meter:1:${file}` })).toThrow(
      new RegExp(`meter \\(unit 1\\): ${file.replace(/[/.]/g, '\\$&')}: invalid profile, 2 problems:\\n  points\\[0\\]\\.type: .*\\n  points\\[1\\]\\.write: `),
    );
  });
});

describe("the launcher's class: relative profile files next to the configuration file", () => {
  it('finds the configuration file as startGateway does', () => {
    expect(configFileOf(['-c', join(dir, 'my.conf')], 'modbus2mqtt', dir)).toBe(join(dir, 'my.conf'));
    expect(configFileOf(['--bogus'], 'modbus2mqtt', dir)).toBeUndefined();
  });

  it("validates a relative profile against the configuration file's directory, and declares its unit", () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(BROKEN));
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(GOOD));
    const Bound = modbusInterfaceFor(join(dir, 'modbus2mqtt.conf'));
    expect(Bound.name).toBe('ModbusInterface');
    expect(() => createTestContext(Bound, { address: 'tcp://127.0.0.1:502', devices: 'meter:1:broken.json' })).toThrow(
      `${join(dir, 'broken.json')}: invalid profile, 2 problems:`,
    );
    expect(() => createTestContext(Bound, { address: 'tcp://127.0.0.1:502', devices: 'meter:1:missing.json' })).toThrow(
      `profile ${join(dir, 'missing.json')} does not exist`,
    );
    const { context } = createTestContext(Bound, { address: 'tcp://127.0.0.1:502', devices: 'tank:7:mine.json, meter:1:eastron-sdm630', location: 'Cellar' });
    expect(context.devices.list().map((d) => [d.id, d.model, d.address])).toEqual([
      ['tank', 'mine', { function: '', location: 'Cellar', device: 'tank' }],
      ['meter', 'SDM630', { function: '', location: 'Cellar', device: 'meter' }],
    ]);
    // Without a configuration file the option cannot know where to look: the constructor does.
    expect(() => createTestContext(ModbusInterface, { address: 'tcp://127.0.0.1:502', devices: 'meter:1:broken.json' })).not.toThrow();
  });
});
