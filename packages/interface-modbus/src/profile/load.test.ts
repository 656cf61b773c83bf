import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModbusProfileError } from '../errors.js';
import { compileModbusProfile, loadModbusProfile, shippedModbusProfileNames } from './load.js';

type Json = Record<string, unknown>;

/** A small valid profile; each test breaks one part of it. */
function base(): Json {
  return {
    name: 'test',
    description: 'a test device',
    points: [
      { id: 'voltage', address: '30001', type: 'float32', unit: 'V' },
      { id: 'setpoint', address: '40001', type: 'int16', scale: 0.1, write: { min: 5, max: 30, step: 0.5 } },
      { id: 'relay', address: '00001', write: true },
    ],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- profile data of any shape, broken on purpose
function edit(change: (p: any) => void): Json {
  const p = base();
  change(p);
  return p;
}

/** The problem lines of the error, without the heading. */
function problems(source: unknown): string[] {
  try {
    compileModbusProfile(source, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ModbusProfileError);
    const e = err as ModbusProfileError;
    expect(e.code).toBe('MODBUS_PROFILE_INVALID');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe(`test.json: invalid profile, ${e.issues.length === 1 ? '1 problem' : `${e.issues.length} problems`}:`);
    expect(lines.slice(1)).toEqual(e.issues.map((i) => `  ${i.path}: ${i.message}`));
    return lines.slice(1).map((l) => l.trim());
  }
  throw new Error('the profile was accepted');
}

describe('compileModbusProfile', () => {
  it('accepts a valid profile, fills in the defaults and derives commands', () => {
    const profile = compileModbusProfile(base(), 'test.json');
    expect(profile.file).toBe('test.json');
    expect(profile.points.map((p) => [p.id, p.table, p.address, p.action])).toEqual([
      ['voltage', 'input', 0, 'VOLTAGE'],
      ['setpoint', 'holding', 0, 'SETPOINT'],
      ['relay', 'coil', 0, 'RELAY'],
    ]);
    expect([...profile.commands].map(([action, c]) => [action, c.point.id, c.value, c.argument])).toEqual([
      ['SETPOINT_SET', 'setpoint', undefined, 'value'],
      ['RELAY_SET', 'relay', undefined, 'value'],
      ['RELAY_ON', 'relay', true, undefined],
      ['RELAY_OFF', 'relay', false, undefined],
    ]);
  });

  it('derives one capability per point when the profile declares none', () => {
    const profile = compileModbusProfile(
      edit((p) => {
        p.points.push({ id: 'mode', address: '40002', enum: { '0': 'off', '1': 'on' }, write: true, publish: { deadband: 1, refresh: 60 } });
        p.points.push({ id: 'serial-number', address: '30010', type: 'string', length: 4 });
        p.points.push({ id: 'alarm', address: '30020', type: 'bit', bit: 2 });
      }),
      'test.json',
    );
    expect(profile.derivedCapabilities).toBe(true);
    expect(profile.capabilities).toEqual([
      { id: 'voltage', name: 'Voltage', kind: 'number', access: 'read', unit: 'V', state: { action: 'VOLTAGE', argument: 'value' } },
      {
        id: 'setpoint',
        name: 'Setpoint',
        kind: 'number',
        access: 'readwrite',
        min: 5,
        max: 30,
        step: 0.5,
        state: { action: 'SETPOINT', argument: 'value' },
        command: { action: 'SETPOINT_SET', argument: 'value' },
      },
      {
        id: 'relay',
        name: 'Relay',
        kind: 'binary',
        access: 'readwrite',
        state: { action: 'RELAY', argument: 'value' },
        command: { action: 'RELAY_SET', argument: 'value' },
      },
      {
        id: 'mode',
        name: 'Mode',
        kind: 'enum',
        access: 'readwrite',
        options: ['off', 'on'],
        state: { action: 'MODE', argument: 'value' },
        command: { action: 'MODE_SET', argument: 'value' },
        publish: { refresh: 60 },
      },
      { id: 'serial-number', name: 'Serial Number', kind: 'text', access: 'read', state: { action: 'SERIAL_NUMBER', argument: 'value' } },
      { id: 'alarm', name: 'Alarm', kind: 'binary', access: 'read', state: { action: 'ALARM', argument: 'value' } },
    ]);
  });

  it('keeps declared capabilities, with the policy of the point they read under their own', () => {
    const profile = compileModbusProfile(
      edit((p) => {
        p.publish = { refresh: 600 };
        p.points[0].publish = { deadband: 2 };
        p.capabilities = [{ id: 'v', name: 'V', kind: 'number', access: 'read', state: { action: 'VOLTAGE', argument: 'value' }, publish: { deadband: 1 } }];
      }),
      'test.json',
    );
    expect(profile.derivedCapabilities).toBe(false);
    expect(profile.capabilities).toEqual([
      { id: 'v', name: 'V', kind: 'number', access: 'read', state: { action: 'VOLTAGE', argument: 'value' }, publish: { refresh: 600, deadband: 1 } },
    ]);
  });

  it('refuses what is not a profile at all', () => {
    expect(problems(null)).toEqual(['(top level): Invalid input: expected object, received null (found null)']);
    expect(problems(edit((p) => (p.points = [])))).toEqual(['points: lists no point (found [])']);
  });

  it('names missing keys, unknown keys and keys of the wrong type', () => {
    expect(problems(edit((p) => delete p.name))).toEqual(['name: is missing (expected string)']);
    expect(problems(edit((p) => (p.points[0].tpye = 'float32')))).toEqual(['points[0]: unknown key "tpye"; did you mean "type"?']);
    expect(problems(edit((p) => (p.points[0].type = 'float')))).toEqual([
      'points[0].type: Invalid option: expected one of "bool"|"bit"|"int16"|"uint16"|"int32"|"uint32"|"int64"|"uint64"|"float32"|"float64"|"string" (found "float")',
    ]);
    expect(problems(edit((p) => (p.wordOrder = 'swapped')))).toEqual(['wordOrder: Invalid option: expected one of "big"|"little" (found "swapped")']);
  });

  it('checks addresses and tables', () => {
    expect(problems(edit((p) => (p.points[0].address = '20001')))).toEqual([
      'points[0].address: "20001" starts with 2: register numbers start with 0 (coil), 1 (discrete input), 3 (input) or 4 (holding)',
    ]);
    expect(problems(edit((p) => (p.points[0].address = 5)))).toEqual([
      'points[0].table: is missing: give the table (holding, input, coil or discrete), or write the address as a register number ("40001")',
    ]);
    expect(problems(edit((p) => (p.points[0].address = 30073)))).toEqual([
      'points[0].table: is missing; if 30073 is the register number of the manual (input register 72), write it as a string: "30073"',
    ]);
    expect(problems(edit((p) => (p.points[0].table = 'holding')))).toEqual([
      'points[0].table: is holding, but the address "30001" is a register number of the input table: give one of the two, or make them agree',
    ]);
    expect(problems(edit((p) => (p.points[0].address = '365536')))).toEqual([
      'points[0].address: the point would end past the last address (65535): it starts at 65535 and spans 2',
    ]);
  });

  it('checks types against tables, bits, lengths and orders', () => {
    expect(problems(edit((p) => (p.points[2].type = 'int16')))).toEqual(['points[2].type: a coil holds one bit: its type is bool, not int16']);
    expect(problems(edit((p) => p.points.push({ id: 'b', address: '30002', type: 'bit', bit: 16 })))).toEqual([
      'points[3].bit: 16 is not a bit of a register: a register has bits 0 (least significant) to 15',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'b', address: '30002', type: 'bit' })))).toEqual([
      'points[3].bit: is missing: which bit of the register, 0 (least significant) to 15',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 's', address: '30002', type: 'string', length: 0 })))).toEqual([
      'points[3].length: 0 registers: a string spans 1 to 125 registers (one read returns at most 125)',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 's', address: '30002', type: 'string' })))).toEqual([
      'points[3].length: is missing: how many registers the string spans (2 characters each)',
    ]);
    expect(problems(edit((p) => (p.points[1].wordOrder = 'little')))).toEqual(['points[1].wordOrder: does not apply to a int16, which is one register']);
    expect(problems(edit((p) => (p.points[2].byteOrder = 'little')))).toEqual(['points[2].byteOrder: does not apply to coil bits']);
    expect(problems(edit((p) => (p.points[0].bit = 3)))).toEqual(['points[0].bit: is for type bit only, not float32']);
  });

  it('checks scale, enumerations and writes', () => {
    expect(problems(edit((p) => (p.points[0].scale = 0)))).toEqual(['points[0].scale: must be a finite number other than 0']);
    expect(problems(edit((p) => (p.points[2].scale = 2)))).toEqual(['points[2].scale: is for numeric types only, not bool']);
    expect(problems(edit((p) => (p.points[0].enum = { '0': 'off' })))).toEqual([
      'points[0].enum: is for integer types only (int16, uint16, int32, uint32, int64, uint64), not float32',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'm', address: '40002', enum: { x: 'off', '70000': 'on', '1': 'OFF' } })))).toEqual([
      'points[3].enum["70000"]: "70000" is not a raw value of a uint16 (a whole number from 0 to 65535)',
      'points[3].enum.x: "x" is not a raw value of a uint16 (a whole number from 0 to 65535)',
      'points[3].enum.x: the name "off" is also the name of raw value 1 (names are matched ignoring case)',
    ]);
    expect(problems(edit((p) => (p.points[0].write = true)))).toEqual([
      'points[0].write: input registers are read-only in Modbus: a writable point is in holding registers or coils',
    ]);
    expect(problems(edit((p) => (p.points[1].write.fc = 5)))).toEqual([
      'points[1].write.fc: function 5 does not write registers: use 6 (write single register) or 16 (write multiple registers)',
    ]);
    expect(problems(edit((p) => (p.points[2].write = { fc: 6 })))).toEqual([
      'points[2].write.fc: function 6 does not write coils: use 5 (write single coil) or 15 (write multiple coils)',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'f', address: '40010', type: 'float32', write: { fc: 6 } })))).toEqual([
      'points[3].write.fc: a float32 spans 2 registers: only function 16 (write multiple registers) writes them at once',
    ]);
    expect(problems(edit((p) => (p.points[1].write.min = 40)))).toEqual(['points[1].write.max: 30 is below min (40)']);
    expect(problems(edit((p) => (p.points[2].write = { min: 1 })))).toEqual(['points[2].write.min: is for numbers only, not bool']);
    expect(problems(edit((p) => p.points.push({ id: 'b', address: '40003', type: 'bit', bit: 1, write: true })))).toEqual([
      'points[3].write: a bit of a register cannot be written without rewriting the other 15: make the point a uint16 (or a coil, if the device has one) to write it',
    ]);
  });

  it('checks ids, statuses, groups and overlapping writable points across the profile', () => {
    expect(problems(edit((p) => p.points.push({ id: 'voltage', address: '30003', action: 'V2' })))).toEqual([
      'points[3].id: "voltage" is also the id of points[0]',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'v2', address: '30003', action: 'VOLTAGE' })))).toEqual([
      'points[3].action: points[0] already publishes VOLTAGE with the argument "value": give one of them another action or argument',
    ]);
    expect(problems(edit((p) => (p.points[0].group = 'fast')))).toEqual(['points[0].group: there is no group "fast" (groups: none)']);
    expect(problems(edit((p) => p.points.push({ id: 'whole', address: '40001', type: 'uint32', write: true })))).toEqual([
      'points[3].address: overlaps points[1] (setpoint), also writable, in the holding table: a write to one would change the other',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'x', address: '40005', write: { action: 'SETPOINT_SET' } })))).toEqual([
      'points[3].write: the command SETPOINT_SET would write points[1] too: give one of them another action',
    ]);
    expect(problems(edit((p) => p.points.push({ id: 'x', address: '40005', write: { action: 'VOLTAGE' } })))).toEqual([
      'points[3].write: the command VOLTAGE is also the action of a status: give the write another action',
    ]);
  });

  it('checks what capabilities name against the points', () => {
    const cap = (c: Json) => edit((p) => (p.capabilities = [c]));
    expect(problems(cap({ id: 'v', name: 'V', kind: 'number', access: 'read', state: { action: 'VOLTS', argument: 'value' } }))).toEqual([
      'capabilities[0].state.action: no point publishes the action "VOLTS" (actions: VOLTAGE, SETPOINT, RELAY)',
    ]);
    expect(problems(cap({ id: 'v', name: 'V', kind: 'number', access: 'read', state: { action: 'VOLTAGE', argument: 'level' } }))).toEqual([
      'capabilities[0].state.argument: VOLTAGE carries its value in "value", not "level"',
    ]);
    expect(
      problems(
        cap({
          id: 's',
          name: 'S',
          kind: 'number',
          min: 0,
          max: 40,
          command: { action: 'SETPOINT_WRITE', argument: 'value' },
          state: { action: 'SETPOINT', argument: 'value' },
        }),
      ),
    ).toEqual([
      'capabilities[0].command.action: no writable point takes the command "SETPOINT_WRITE" (commands: SETPOINT_SET, RELAY_SET, RELAY_ON, RELAY_OFF)',
    ]);
    expect(
      problems(
        cap({
          id: 's',
          name: 'S',
          kind: 'number',
          min: 0,
          max: 40,
          command: { action: 'SETPOINT_SET', argument: 'value' },
          state: { action: 'SETPOINT', argument: 'value' },
        }),
      ),
    ).toEqual([
      'capabilities[0].min: points[1] (setpoint) accepts no less than 5, not 0',
      'capabilities[0].max: points[1] (setpoint) accepts no more than 30, not 40',
    ]);
    expect(
      problems(
        cap({ id: 'r', name: 'R', kind: 'binary', command: { actions: { on: 'RELAY_ON', off: 'RELAY_SHUT' } }, state: { action: 'RELAY', argument: 'value' } }),
      ),
    ).toEqual([
      'capabilities[0].command.actions.off: no writable point takes the command "RELAY_SHUT" (commands: SETPOINT_SET, RELAY_SET, RELAY_ON, RELAY_OFF)',
    ]);
    expect(problems(cap({ id: 'r', name: 'R', kind: 'enum', access: 'read', state: { action: 'RELAY', argument: 'value' } }))).toEqual([
      'capabilities[0].options: is required for an enum',
    ]);
  });

  it('checks enum options against the names of the point', () => {
    const profile = edit((p) => {
      p.points.push({ id: 'mode', address: '40002', enum: { '0': 'off', '1': 'heat' }, write: true });
      p.capabilities = [
        {
          id: 'mode',
          name: 'Mode',
          kind: 'enum',
          options: ['off', 'cool'],
          command: { action: 'MODE_SET', argument: 'value' },
          state: { action: 'MODE', argument: 'value' },
        },
      ];
    });
    expect(problems(profile)).toEqual(['capabilities[0].options[1]: "cool" is not a name of the enum of points[3] (off, heat)']);
  });

  it('lists every problem at once', () => {
    const broken = edit((p) => {
      p.points[0].type = 'float';
      p.points[2].type = 'int16';
      p.points.push({ id: 'voltage', address: '30009' });
    });
    expect(problems(broken)).toEqual([
      'points[0].type: Invalid option: expected one of "bool"|"bit"|"int16"|"uint16"|"int32"|"uint32"|"int64"|"uint64"|"float32"|"float64"|"string" (found "float")',
      'points[2].type: a coil holds one bit: its type is bool, not int16',
      'points[3].id: "voltage" is also the id of points[0]',
      'points[3].action: points[0] already publishes VOLTAGE with the argument "value": give one of them another action or argument',
    ]);
  });
});

describe('loadModbusProfile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'modbus-profile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const error = (f: () => unknown): ModbusProfileError => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(ModbusProfileError);
      return err as ModbusProfileError;
    }
    throw new Error('no error');
  };

  it('loads a shipped profile by name, and a file relative to the base directory', () => {
    expect(shippedModbusProfileNames()).toEqual(['eastron-sdm630', 'generic-relay-board', 'generic-thermostat']);
    expect(loadModbusProfile('eastron-sdm630', dir).name).toBe('eastron-sdm630');
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(join(dir, 'profiles', 'mine.json'), JSON.stringify(base()));
    const loaded = loadModbusProfile('profiles/mine.json', dir);
    expect(loaded.file).toBe(join(dir, 'profiles', 'mine.json'));
    expect(loadModbusProfile(join(dir, 'profiles', 'mine.json'), '/').name).toBe('test');
  });

  it('names what is missing', () => {
    const e = error(() => loadModbusProfile('eastron-sdm360', dir));
    expect(e.code).toBe('MODBUS_PROFILE_NOT_FOUND');
    expect(e.message).toBe(
      `no profile "eastron-sdm360": it is not a shipped profile (eastron-sdm630, generic-relay-board, generic-thermostat) nor a file in ${dir}`,
    );
    const f = error(() => loadModbusProfile('nowhere.json', dir));
    expect([f.code, f.message]).toEqual(['MODBUS_PROFILE_NOT_FOUND', `profile ${join(dir, 'nowhere.json')} does not exist`]);
  });

  it('says where a file is not JSON, with line and column', () => {
    writeFileSync(join(dir, 'bad.json'), '{\n  "name": "x",\n  "points": [}\n');
    const e = error(() => loadModbusProfile('bad.json', dir));
    expect(e.code).toBe('MODBUS_PROFILE_NOT_JSON');
    expect(e.message).toMatch(new RegExp(`^profile ${join(dir, 'bad.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:14 is not valid JSON: `));
  });

  it('names the file and every problem of an invalid one', () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(edit((p) => (p.points[2].type = 'int16'))));
    const e = error(() => loadModbusProfile('broken.json', dir));
    expect(e.code).toBe('MODBUS_PROFILE_INVALID');
    expect(e.message).toBe(`${join(dir, 'broken.json')}: invalid profile, 1 problem:\n  points[2].type: a coil holds one bit: its type is bool, not int16`);
    expect(e.issues).toEqual([{ path: 'points[2].type', message: 'a coil holds one bit: its type is bool, not int16' }]);
  });

  it('says why a file cannot be read', () => {
    mkdirSync(join(dir, 'adir.json'));
    expect(error(() => loadModbusProfile('adir.json', dir)).code).toBe('MODBUS_PROFILE_UNREADABLE');
  });
});
