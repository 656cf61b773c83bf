import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileError } from '../errors.js';
import { loadProfile, loadProfileFile } from './load.js';

type Json = Record<string, unknown>;

/** A small valid profile; each test breaks one part of it. */
function base(): Json {
  return {
    name: 'test',
    description: 'a test device',
    commands: {
      POWER_ON: { send: 'PWON' },
      VOL_SET: { send: 'MV{level}', arguments: { level: { type: 'number', min: 0, max: 98, step: 0.5, pad: 2, decimalSeparator: '' } } },
    },
    statuses: [
      { match: 'PW(ON|STANDBY)', action: 'POWER', arguments: { state: { group: 1, map: { ON: 'on', STANDBY: 'off' } } } },
      { match: 'MV(\\d\\d)', action: 'VOLUME', arguments: { level: { group: 1, type: 'number' } } },
    ],
    queries: { atStart: ['PW?'] },
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
    loadProfile(source, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    const e = err as ProfileError;
    expect(e.code).toBe('PROFILE_INVALID');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe(`test.json: invalid profile, ${e.issues.length === 1 ? '1 problem' : `${e.issues.length} problems`}:`);
    expect(lines.slice(1)).toEqual(e.issues.map((i) => `  ${i.path}: ${i.message}`));
    return lines.slice(1).map((l) => l.trim());
  }
  throw new Error('the profile was accepted');
}

describe('loadProfile', () => {
  it('accepts a valid profile and fills in the defaults', () => {
    const profile = loadProfile(base(), 'test.json');
    expect(profile.where).toBe('test.json');
    expect(profile.definition.framing).toEqual({ terminator: '\r', encoding: 'latin1', maxLineBytes: 1024 });
    expect(profile.definition.spacingMs).toBe(0);
    expect(profile.actions).toEqual(['POWER_ON', 'VOL_SET']);
    expect(profile.statusActions).toEqual(['POWER', 'VOLUME']);
  });

  it('refuses what is not a profile at all', () => {
    expect(problems(null)).toEqual(['(top level): Invalid input: expected object, received null (found null)']);
    expect(problems([])).toEqual(['(top level): Invalid input: expected object, received array (found [])']);
  });

  it('names missing keys and keys of the wrong type', () => {
    expect(problems(edit((p) => delete p.name))).toEqual(['name: is missing (expected string)']);
    expect(problems(edit((p) => (p.spacingMs = -5)))).toEqual(['spacingMs: Too small: expected number to be >=0 (found -5)']);
    expect(problems(edit((p) => (p.framing = { encoding: 'ebcdic' })))).toEqual([
      'framing.encoding: Invalid option: expected one of "ascii"|"latin1"|"utf8" (found "ebcdic")',
    ]);
    expect(problems(edit((p) => (p.framing = { terminator: 13 })))).toEqual(['framing.terminator: must be a string or a list of strings (found 13)']);
  });

  it('names unknown keys, with the likely one', () => {
    expect(problems(edit((p) => (p.statuses[0].mtach = 'x')))).toEqual(['statuses[0]: unknown key "mtach"; did you mean "match"?']);
    expect(problems(edit((p) => (p.commands.POWER_ON.zzz = 1)))).toEqual(['commands.POWER_ON: unknown key "zzz"']);
  });

  it('refuses action and argument names outside the vocabulary rules', () => {
    expect(problems(edit((p) => (p.commands.vol_up = { send: 'MVUP' })))).toEqual([
      'commands.vol_up: invalid name: must be UPPER_CASE: capital letters, digits and "_", starting with a letter (VOL_SET)',
    ]);
    expect(problems(edit((p) => (p.statuses[1].action = 'Volume')))).toEqual([
      'statuses[1].action: must be UPPER_CASE: capital letters, digits and "_", starting with a letter (VOL_SET) (found "Volume")',
    ]);
    expect(problems(edit((p) => (p.commands.SAY = { send: '{correlation}', arguments: { correlation: { type: 'string' } } })))).toEqual([
      'commands.SAY.arguments.correlation: invalid name: is reserved: "action" and "correlation" are keys of the MQTT payload itself',
    ]);
  });

  it('checks templates against the declared arguments, both ways', () => {
    expect(problems(edit((p) => (p.commands.VOL_SET.send = 'MV{lvl}')))).toEqual([
      'commands.VOL_SET.send: placeholder {lvl} is not a declared argument (declared: level)',
      'commands.VOL_SET.arguments.level: is declared but "MV{lvl}" does not use it: add {level} to send, or remove it',
    ]);
    expect(problems(edit((p) => (p.commands.POWER_ON.send = 'PW{state}')))).toEqual([
      'commands.POWER_ON.send: placeholder {state} is not a declared argument (declared: none)',
    ]);
    expect(problems(edit((p) => (p.commands.VOL_SET.send = 'MV{level:02}')))).toEqual([
      "commands.VOL_SET.send: {level:02} at column 3: write {level}; how a value is written (pad, decimalSeparator, map) goes in the argument's definition",
    ]);
  });

  it('compiles every regular expression and names the invalid ones', () => {
    expect(problems(edit((p) => (p.statuses[1].match = 'MV(\\d\\d')))).toEqual(['statuses[1].match: invalid regular expression: Unterminated group']);
    expect(problems(edit((p) => (p.commands.POWER_ON.confirm = '[')))).toEqual([
      'commands.POWER_ON.confirm: invalid regular expression: Unterminated character class',
    ]);
    expect(problems(edit((p) => (p.statuses[1].match = 'MV(\\d+)+')))).toEqual([
      'statuses[1].match: nested quantifier "(\\d+)+" can take exponential time on a long line: let the inner part match a bounded number of characters, or drop the outer repetition',
    ]);
  });

  it('checks status arguments against the pattern groups', () => {
    expect(problems(edit((p) => (p.statuses[1].arguments.level.group = 2)))).toEqual([
      'statuses[1].arguments.level.group: the pattern "MV(\\d\\d)" has 1 capture group, so there is no group 2',
    ]);
    expect(problems(edit((p) => (p.statuses[1].arguments.level.group = 'lvl')))).toEqual([
      'statuses[1].arguments.level.group: the pattern "MV(\\d\\d)" has no group named "lvl" (named groups: none)',
    ]);
    expect(problems(edit((p) => (p.statuses[1].arguments.level = { type: 'number' })))).toEqual([
      'statuses[1].arguments.level: needs a group (the capture group to read) or a value (a constant)',
    ]);
    expect(problems(edit((p) => (p.statuses[1].arguments.level = { group: 1, value: 3 })))).toEqual([
      'statuses[1].arguments.level: has both group and value: give one (a group to read, or a constant value)',
    ]);
    expect(problems(edit((p) => (p.statuses[1].arguments.level = { group: 1, scale: 0.1 })))).toEqual([
      'statuses[1].arguments.level.scale: applies to type number or integer only (type is string, the default)',
    ]);
    expect(problems(edit((p) => (p.statuses[0].arguments.state.type = 'number')))).toEqual([
      'statuses[0].arguments.state.type: does not apply with a map: the map gives the values',
    ]);
  });

  it('checks command arguments', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    const level = (change: (l: any) => void) => edit((p) => change(p.commands.VOL_SET.arguments.level));
    expect(problems(level((l) => (l.type = 'float')))).toEqual([
      'commands.VOL_SET.arguments.level.type: type must be "number", "integer", "string" or "enum" (found "float")',
    ]);
    expect(problems(level((l) => (l.min = 99)))).toEqual(['commands.VOL_SET.arguments.level.min: min 99 is above max 98']);
    expect(problems(level((l) => (l.values = ['a'])))).toEqual(['commands.VOL_SET.arguments.level: unknown key "values" here']);
    expect(problems(level((l) => (l.map = { '45.50': 'X', '100': 'Y' })))).toEqual([
      'commands.VOL_SET.arguments.level.map["100"]: 100 is not an accepted value (see type, min and max)', // JavaScript lists integer keys first
      'commands.VOL_SET.arguments.level.map["45.50"]: "45.50" is not a number as JSON writes it (45, 45.5, -3)',
    ]);
    const source = (def: Json) => edit((p) => (p.commands.INPUT_SET = { send: 'SI{source}', arguments: { source: def } }));
    expect(problems(source({ type: 'enum', values: ['CD', 'cd'], map: { DVD: 'DV' } }))).toEqual([
      'commands.INPUT_SET.arguments.source.values[1]: "cd" is listed twice (values are matched ignoring case: "CD")',
      'commands.INPUT_SET.arguments.source.map.DVD: "DVD" is not one of the values (CD, cd)',
    ]);
    expect(problems(source({ type: 'enum', values: [] }))).toEqual(['commands.INPUT_SET.arguments.source.values: lists no value (found [])']);
  });

  it('refuses anything sent that would not fit in one line', () => {
    expect(problems(edit((p) => (p.commands.POWER_ON.send = 'PWON\rMUON')))).toEqual([
      'commands.POWER_ON.send: contains the line terminator "\\r": everything sent must fit in one line',
    ]);
    expect(() =>
      loadProfile(
        edit((p) => (p.queries.atStart = ['PW?', 'MU?\n'])),
        'x',
      ),
    ).not.toThrow(); // \n ends no line here
    expect(problems(edit((p) => ((p.framing = { terminator: ['\r', '\n'] }), (p.queries.atStart = ['PW?', 'MU?\n']))))).toEqual([
      'queries.atStart[1]: contains the line terminator "\\n": everything sent must fit in one line',
    ]);
    expect(problems(edit((p) => ((p.framing = { encoding: 'ascii' }), (p.commands.POWER_ON.send = 'PWÖN'))))).toEqual([
      'commands.POWER_ON.send: contains "Ö", which ascii cannot encode: everything sent must fit in one line',
    ]);
    expect(
      problems(edit((p) => (p.commands.INPUT_SET = { send: 'SI{s}', arguments: { s: { type: 'enum', values: ['A\rB', 'C'], map: { C: 'C\r' } } } }))),
    ).toEqual([
      'commands.INPUT_SET.arguments.s.map.C: contains the line terminator "\\r": everything sent must fit in one line',
      'commands.INPUT_SET.arguments.s.values[0]: contains the line terminator "\\r": everything sent must fit in one line',
    ]);
  });

  it('refuses a bad poll entry at its JSON path', () => {
    const poll = (...entries: unknown[]) => edit((p) => (p.queries.poll = entries));
    expect(problems(poll({ seconds: 5, send: ['MV?'] }, { seconds: 0, send: [] }))).toEqual([
      'queries.poll[1].seconds: Too small: expected number to be >=0.1 (found 0)',
      'queries.poll[1].send: lists no line (found [])',
    ]);
    expect(problems(poll({ seconds: 5, jitter: 5, send: ['MV?'] }))).toEqual([
      'queries.poll[0].jitter: 5 is not less than seconds (5): each interval could double',
    ]);
    expect(problems(poll({ seconds: 5, sned: ['MV?'] }))).toEqual([
      'queries.poll[0].send: is missing (expected array)',
      'queries.poll[0]: unknown key "sned"; did you mean "send"?',
    ]);
    expect(problems(poll({ seconds: 5, send: ['MV?', 'PW?\r'] }))).toEqual([
      'queries.poll[0].send[1]: contains the line terminator "\\r": everything sent must fit in one line',
    ]);
    expect(problems(edit((p) => (p.queries.poll = { seconds: 5, send: ['MV?'] })))).toEqual([expect.stringMatching(/^queries\.poll: .*expected array/)]);
  });

  it('refuses a profile that would do nothing', () => {
    expect(problems({ name: 'x', description: 'y' })).toEqual(['(top level): has neither commands nor statuses: there would be nothing to do']);
  });

  it('lists every problem at once, from every part of the profile', () => {
    const p = edit((p) => {
      p.statuses[0].action = 3;
      p.statuses.push({ match: 'SI(.+', action: 'INPUT' });
      p.commands.VOL_SET.send = 'MV{lvl}';
      p.queries.atStart.push('MU?\r');
      p.spacingMs = 'fast';
    });
    expect(problems(p)).toEqual([
      'spacingMs: Invalid input: expected number, received string (found "fast")',
      'commands.VOL_SET.send: placeholder {lvl} is not a declared argument (declared: level)',
      'commands.VOL_SET.arguments.level: is declared but "MV{lvl}" does not use it: add {level} to send, or remove it',
      'statuses[0].action: Invalid input: expected string, received number (found 3)',
      'statuses[2].match: invalid regular expression: Unterminated group',
      'queries.atStart[1]: contains the line terminator "\\r": everything sent must fit in one line',
    ]);
  });
});

describe('loadProfileFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mg-profile-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('loads a valid file', () => {
    const path = write('ok.json', JSON.stringify(base(), null, 2));
    expect(loadProfileFile(path).where).toBe(path);
  });

  it('says where the JSON is broken, line and column', () => {
    const path = write('broken.json', '{\n  "name": "x",\n  "commands": { "A": { "send": "B" }, }\n}\n');
    expect(() => loadProfileFile(path)).toThrow(
      expect.objectContaining({ code: 'PROFILE_NOT_JSON', message: expect.stringMatching(new RegExp(`^profile ${path}:3:39 is not valid JSON: `)) }),
    );
  });

  it('names the file in messages about its content', () => {
    const path = write('bad.json', JSON.stringify(edit((p) => (p.statuses[1].match = '('))));
    expect(() => loadProfileFile(path)).toThrow(`${path}: invalid profile, 1 problem:\n  statuses[1].match: invalid regular expression: Unterminated group`);
  });

  it('says why a file cannot be read', () => {
    expect(() => loadProfileFile(join(dir, 'none.json'))).toThrow(
      expect.objectContaining({ code: 'PROFILE_NOT_FOUND', message: `profile ${join(dir, 'none.json')} does not exist` }),
    );
    mkdirSync(join(dir, 'adir.json'));
    expect(() => loadProfileFile(join(dir, 'adir.json'))).toThrow(
      expect.objectContaining({ code: 'PROFILE_UNREADABLE', message: `profile ${join(dir, 'adir.json')} cannot be read (it is a directory)` }),
    );
  });
});
