// The profile features a pool controller needs (refusals and busy answers, one line to several
// statuses, queries after a command): the schema's checks with their JSON paths, and the
// compiled profile's behaviour.
import { ProfileError } from '../errors.js';
import { loadProfile } from './load.js';

type Json = Record<string, unknown>;

const STATUS_LINE = 'STATUS PUMP=(?<pump>ON|OFF) TEMP=(?<temp>-?\\d{1,3}(?:\\.\\d{1,2})?) SETPOINT=(?<sp>\\d{1,2}(?:\\.\\d)?)';

/** A pool controller: `PUMP ON`, `SETPOINT <n>` answered `OK` or `ERR <why>`, `STATUS?` answered with three values. */
function pool(): Json {
  return {
    name: 'pool',
    description: 'a pool controller',
    framing: { terminator: '\n' },
    answers: { refused: 'ERR (?<reason>.{1,80})', busy: 'ERR BUSY', busyRetries: 2, busyDelayMs: 50 },
    commands: {
      PUMP_ON: { send: 'PUMP ON', confirm: 'OK' },
      PUMP_OFF: { send: 'PUMP OFF', confirm: 'OK', then: [] },
      SETPOINT_SET: {
        send: 'SETPOINT {value}',
        arguments: { value: { type: 'number', min: 10, max: 35 } },
        confirm: 'OK',
        answers: { refused: 'NAK (.{1,40})', busyRetries: 0 },
      },
      RESET: { send: 'RESET', then: ['STATUS?', 'ALARM?'] },
    },
    statuses: [
      {
        match: STATUS_LINE,
        emit: [
          { action: 'PUMP', arguments: { state: { group: 'pump', map: { ON: 'on', OFF: 'off' } } } },
          { action: 'TEMPERATURE', arguments: { value: { group: 'temp', type: 'number' } } },
          { action: 'SETPOINT', arguments: { value: { group: 'sp', type: 'number' } } },
        ],
      },
      { match: 'TEMP (-?\\d{1,3}(?:\\.\\d{1,2})?)', action: 'TEMPERATURE', arguments: { value: { group: 1, type: 'number' } } },
      { match: 'ALARM (?<what>[A-Z_]{1,20})', action: 'ALARM', arguments: { what: { group: 'what' } } },
    ],
    queries: { atStart: ['STATUS?'], afterCommand: ['STATUS?'] },
    capabilities: [
      { id: 'pump', name: 'Pump', kind: 'binary', command: { actions: { on: 'PUMP_ON', off: 'PUMP_OFF' } }, state: { action: 'PUMP', argument: 'state' } },
      { id: 'temperature', name: 'Temperature', kind: 'number', access: 'read', unit: '°C', state: { action: 'TEMPERATURE', argument: 'value' } },
      {
        id: 'setpoint',
        name: 'Setpoint',
        kind: 'number',
        min: 10,
        max: 35,
        command: { action: 'SETPOINT_SET', argument: 'value' },
        state: { action: 'SETPOINT', argument: 'value' },
      },
    ],
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- profile data of any shape, broken on purpose
function edit(change: (p: any) => void): Json {
  const p = pool();
  change(p);
  return p;
}

function problems(source: unknown): string[] {
  try {
    loadProfile(source, 'pool.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return (err as ProfileError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('the profile was accepted');
}

describe('one line, several statuses (emit)', () => {
  const p = loadProfile(pool(), 'pool.json');

  it('turns one status line into each message of emit, in order', () => {
    expect(p.statusesOf('STATUS PUMP=ON TEMP=27.5 SETPOINT=28.0')).toEqual([
      { action: 'PUMP', arguments: { state: 'on' } },
      { action: 'TEMPERATURE', arguments: { value: 27.5 } },
      { action: 'SETPOINT', arguments: { value: 28 } },
    ]);
    expect(p.parseLine('STATUS PUMP=OFF TEMP=-1 SETPOINT=10')).toEqual({ action: 'PUMP', arguments: { state: 'off' } });
    expect(p.statusesOf('TEMP 26.25')).toEqual([{ action: 'TEMPERATURE', arguments: { value: 26.25 } }]);
    expect(p.statusesOf('HELLO')).toEqual([]);
  });

  it('knows every action a line can give, each once', () => {
    expect(p.statusActions).toEqual(['PUMP', 'TEMPERATURE', 'SETPOINT', 'ALARM']);
  });

  it('does not match a line when one emitted argument does not read, and tries the next status', () => {
    const q = loadProfile(
      edit((x) => {
        x.statuses[0].emit[0].arguments.state.map = { ON: 'on' }; // OFF missing
        x.statuses.push({ match: 'STATUS .{1,60}', action: 'RAW_STATUS' });
      }),
      'pool.json',
    );
    expect(q.statusesOf('STATUS PUMP=OFF TEMP=20 SETPOINT=28')).toEqual([{ action: 'RAW_STATUS', arguments: {} }]);
    expect(q.statusesOf('STATUS PUMP=ON TEMP=20 SETPOINT=28')).toHaveLength(3);
  });

  it('refuses a group an emitted message names that the pattern lacks, with its JSON path', () => {
    expect(
      problems(
        edit((x) => {
          x.statuses[0].emit[1].arguments.value.group = 'tmp';
          x.statuses[0].emit[2].arguments.value.group = 4;
        }),
      ),
    ).toEqual([
      `statuses[0].emit[1].arguments.value.group: the pattern "${STATUS_LINE}" has no group named "tmp" (named groups: pump, temp, sp)`,
      `statuses[0].emit[2].arguments.value.group: the pattern "${STATUS_LINE}" has 3 capture groups, so there is no group 4`,
    ]);
  });

  it('wants either action or emit, each action once, and arguments inside emit', () => {
    expect(problems(edit((x) => (x.statuses[0].action = 'STATUS')))).toEqual([
      'statuses[0].action: give either action (one status message) or emit (several), not both',
    ]);
    expect(problems(edit((x) => (x.statuses[0].arguments = {})))).toEqual([
      'statuses[0].arguments: goes inside each entry of emit, which give the arguments of the messages',
    ]);
    expect(problems(edit((x) => delete x.statuses[1].action))).toEqual([
      'statuses[1].action: is required: the action of the status message (VOLUME), or emit for several messages',
    ]);
    expect(problems(edit((x) => (x.statuses[0].emit[2].action = 'PUMP')))).toEqual([
      'statuses[0].emit[2].action: PUMP is emitted already by emit[0]: one line gives each action once',
      'capabilities[2].state.action: no status of the profile has the action "SETPOINT" (status actions: PUMP, TEMPERATURE, ALARM)',
    ]);
    expect(problems(edit((x) => (x.statuses[0].emit = []))).join('\n')).toMatch(/^statuses\[0\]\.emit: lists no status/);
  });

  it('lets capabilities bind to emitted actions, and refuses an argument no emitted message has', () => {
    expect(loadProfile(pool(), 'pool.json').definition.capabilities).toHaveLength(3);
    expect(problems(edit((x) => (x.capabilities[1].state.argument = 'celsius')))).toEqual([
      'capabilities[1].state.argument: no TEMPERATURE status has the argument "celsius" (its arguments: value)',
    ]);
  });
});

describe('answers: refusals and busy', () => {
  const p = loadProfile(pool(), 'pool.json');

  it('gives each command the profile-wide answers, its own keys over them', () => {
    const pump = p.answersFor('pump_on')!;
    expect(pump.refused?.source).toBe('^(?:ERR (?<reason>.{1,80}))$');
    expect(pump.busy?.source).toBe('^(?:ERR BUSY)$');
    expect([pump.busyRetries, pump.busyDelayMs]).toEqual([2, 50]);
    const setpoint = p.answersFor('SETPOINT_SET')!;
    expect(setpoint.refused?.source).toBe('^(?:NAK (.{1,40}))$');
    expect(setpoint.busy?.source).toBe('^(?:ERR BUSY)$');
    expect([setpoint.busyRetries, setpoint.busyDelayMs]).toEqual([0, 50]);
    expect(p.answersFor('EJECT')).toBeUndefined();
  });

  it('has the defaults when the profile says nothing', () => {
    const plain = loadProfile(
      edit((x) => delete x.answers),
      'pool.json',
    ).answersFor('PUMP_ON')!;
    expect(plain).toEqual({ ok: expect.any(Function), busyRetries: 2, busyDelayMs: 500 });
  });

  it('never takes a busy or refusing line for a confirmation, even without a confirm pattern', () => {
    const q = loadProfile(
      edit((x) => x.statuses.push({ match: 'ERR (.{1,80})', action: 'DEVICE_ERROR', arguments: { text: { group: 1 } } })),
      'pool.json',
    );
    const reset = q.answersFor('RESET')!;
    expect(reset.ok('TEMP 27')).toBe(true);
    expect(reset.ok('ERR BUSY')).toBe(false);
    expect(reset.ok('ERR NO WATER')).toBe(false);
    expect(q.isConfirmation('RESET', 'ERR NO WATER')).toBe(false);
    expect(q.answersFor('PUMP_ON')!.ok('OK')).toBe(true);
  });

  it('refuses bad answer patterns and counts with their paths', () => {
    expect(
      problems(
        edit((x) => {
          x.answers.refused = 'ERR (';
          x.commands.PUMP_ON.answers = { busy: '', busyRetries: -1, busyDelayMs: 0.5, retry: 1 };
        }),
      ),
    ).toEqual([
      'commands.PUMP_ON.answers.busy: is empty (found "")',
      'commands.PUMP_ON.answers.busyRetries: Too small: expected number to be >=0 (found -1)',
      'commands.PUMP_ON.answers.busyDelayMs: Invalid input: expected int, received number (found 0.5)',
      expect.stringMatching(/^commands\.PUMP_ON\.answers: unknown key "retry"/),
      'answers.refused: invalid regular expression: Unterminated group',
    ]);
  });
});

describe('queries after a command', () => {
  const p = loadProfile(pool(), 'pool.json');

  it("sends the command's then, else queries.afterCommand", () => {
    expect(p.thenFor('PUMP_ON')).toEqual(['STATUS?']);
    expect(p.thenFor('PUMP_OFF')).toEqual([]);
    expect(p.thenFor('reset')).toEqual(['STATUS?', 'ALARM?']);
    expect(p.queries.afterCommand).toEqual(['STATUS?']);
    expect(
      loadProfile(
        edit((x) => delete x.queries.afterCommand),
        'pool.json',
      ).thenFor('PUMP_ON'),
    ).toEqual([]);
  });

  it('refuses a query line that could not be sent as one line', () => {
    expect(
      problems(
        edit((x) => {
          x.commands.RESET.then = ['STATUS?\nPUMP ON'];
          x.queries.afterCommand = [''];
        }),
      ),
    ).toEqual([
      'queries.afterCommand[0]: is empty (found "")',
      'commands.RESET.then[0]: contains the line terminator "\\n": everything sent must fit in one line',
    ]);
  });
});

describe('reasons worded for the sender', () => {
  const p = loadProfile(pool(), 'pool.json');
  // As @mg/core's msg.heard gives them when the map turns pump_on into PUMP_ON and target into value.
  const words = (action: string) => ({ action, argument: (key: string) => (key === 'value' ? 'target' : key.toLowerCase()) });

  it('name the action and arguments as the sender wrote them', () => {
    expect(p.commandFor('SETPOINT_SET', { value: 'hot' }, words('setpoint_set'))).toEqual({
      ok: false,
      reason: 'argument "target" must be a number between 10 and 35, got "hot"',
    });
    expect(p.commandFor('SETPOINT_SET', {}, words('setpoint_set'))).toEqual({
      ok: false,
      reason: 'argument "target" is missing: setpoint_set needs a number between 10 and 35',
    });
    expect(p.commandFor('PUMP_ON', { SPEED: 2 }, words('pump_on'))).toEqual({ ok: false, reason: 'pump_on takes no arguments, got "speed"' });
    expect(p.commandFor('SETPOINT_SET', { value: 20, SPEED: 2 }, words('setpoint_set'))).toEqual({
      ok: false,
      reason: 'setpoint_set takes no argument "speed" (it takes: target)',
    });
    expect(p.commandFor('EJECT', {}, words('eject')).ok).toBe(false);
  });

  it("use the profile's names without the sender's words", () => {
    expect(p.commandFor('SETPOINT_SET', {})).toEqual({ ok: false, reason: 'argument "value" is missing: SETPOINT_SET needs a number between 10 and 35' });
  });
});
