import { capabilitySchema } from '@mg/core/devices';
import { receiverCapability } from '@mg/test-helpers';
import { ProfileError } from '../errors.js';
import { loadProfile, loadProfileFile } from './load.js';
import { profileSchema } from './schema.js';
import { shippedProfilePath } from './shipped.js';

type Json = Record<string, unknown>;

/** A small valid profile with capabilities; each test breaks one part of it. */
function base(): Json {
  return {
    name: 'test',
    description: 'a test device',
    commands: {
      MUTE_ON: { send: 'MUON' },
      MUTE_OFF: { send: 'MUOFF' },
      VOL_SET: { send: 'MV{level}', arguments: { level: { type: 'number', min: 0, max: 98, step: 0.5, pad: 2, decimalSeparator: '' } } },
      INPUT_SET: { send: 'SI{source}', arguments: { source: { type: 'enum', values: ['CD', 'TUNER'] } } },
      ZONE_SET: { send: 'Z{zone}{level}', arguments: { zone: { type: 'integer' }, level: { type: 'integer' } } },
    },
    statuses: [
      { match: 'MU(ON|OFF)', action: 'MUTE', arguments: { state: { group: 1, map: { ON: 'on', OFF: 'off' } } } },
      { match: 'MV(\\d\\d)', action: 'VOLUME', arguments: { level: { group: 1, type: 'number' } } },
      { match: 'SI(.{1,16})', action: 'INPUT', arguments: { source: { group: 1 } } },
    ],
    capabilities: [
      { id: 'mute', name: 'Mute', kind: 'binary', command: { actions: { on: 'MUTE_ON', off: 'MUTE_OFF' } }, state: { action: 'MUTE', argument: 'state' } },
      // The receiver core's and the conventions' tests describe: these two are its own.
      receiverCapability('volume'),
      receiverCapability('input'),
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
    loadProfile(source, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    expect((err as ProfileError).code).toBe('PROFILE_INVALID');
    return (err as ProfileError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('the profile was accepted');
}

describe('profile capabilities', () => {
  it('are optional, and loaded with their defaults when given', () => {
    expect(
      loadProfile(
        edit((p) => delete p.capabilities),
        'test.json',
      ).definition.capabilities,
    ).toBeUndefined();
    const caps = loadProfile(base(), 'test.json').definition.capabilities!;
    expect(caps.map((c) => `${c.id} ${c.kind} ${c.access}`)).toEqual(['mute binary readwrite', 'volume number readwrite', 'input enum readwrite']);
  });

  it('the shipped denon-avr declares power, mute, volume and input, bound to its own commands and statuses', () => {
    const denon = loadProfileFile(shippedProfilePath('denon-avr')!);
    const caps = denon.definition.capabilities!;
    expect(caps.map((c) => c.id)).toEqual(['power', 'mute', 'volume', 'input']);
    expect(caps.find((c) => c.id === 'volume')).toMatchObject({ kind: 'number', min: 0, max: 98, step: 0.5, command: { action: 'VOL_SET' } });
    const sources = denon.definition.commands.INPUT_SET!.arguments!.source as { values: string[] };
    expect(caps.find((c) => c.id === 'input')!.options).toEqual(sources.values);
    // Every state the capabilities read is what the profile's statuses give.
    expect(denon.parseLine('PWSTANDBY')).toEqual({ action: 'POWER', arguments: { state: 'off' } });
    expect(denon.parseLine('MV455')).toEqual({ action: 'VOLUME', arguments: { level: 45.5 } });
    expect(denon.parseLine('SISAT/CBL')).toEqual({ action: 'INPUT', arguments: { source: 'SAT/CBL' } });
  });

  it('refuse a command action or argument the profile does not have, with the path', () => {
    expect(problems(edit((p) => (p.capabilities[0].command.actions.on = 'MUTE_ONN')))).toEqual([
      'capabilities[0].command.actions.on: the profile has no command "MUTE_ONN" (commands: MUTE_ON, MUTE_OFF, VOL_SET, INPUT_SET, ZONE_SET)',
    ]);
    expect(problems(edit((p) => (p.capabilities[1].command.action = 'VOLUME_SET')))).toEqual([
      'capabilities[1].command.action: the profile has no command "VOLUME_SET" (commands: MUTE_ON, MUTE_OFF, VOL_SET, INPUT_SET, ZONE_SET)',
    ]);
    expect(problems(edit((p) => (p.capabilities[1].command.argument = 'lvl')))).toEqual([
      'capabilities[1].command.argument: command VOL_SET has no argument "lvl" (its arguments: level)',
    ]);
  });

  it('refuse a command that would always be refused: other arguments a write does not give', () => {
    expect(problems(edit((p) => (p.capabilities[0].command.actions.on = 'VOL_SET')))).toEqual([
      'capabilities[0].command.actions.on: command VOL_SET needs level, which "actions" does not give: name a command without arguments',
    ]);
    expect(problems(edit((p) => (p.capabilities[1].command = { action: 'ZONE_SET', argument: 'level' })))).toEqual([
      'capabilities[1].command: command ZONE_SET also needs zone, which a write does not give: name a command whose only argument is the value',
    ]);
  });

  it('refuse a state action or argument no status has, with the path', () => {
    expect(problems(edit((p) => (p.capabilities[0].state.action = 'MUTING')))).toEqual([
      'capabilities[0].state.action: no status of the profile has the action "MUTING" (status actions: MUTE, VOLUME, INPUT)',
    ]);
    expect(problems(edit((p) => (p.capabilities[1].state.argument = 'state')))).toEqual([
      'capabilities[1].state.argument: no VOLUME status has the argument "state" (its arguments: level)',
    ]);
    expect(problems(edit((p) => (p.capabilities[0].state = { actions: { MUTE: 'on', UNMUTED: 'off' } })))).toEqual([
      'capabilities[0].state.actions.UNMUTED: no status of the profile has the action "UNMUTED" (status actions: MUTE, VOLUME, INPUT)',
    ]);
  });

  it("refuse values the command's argument does not take: enum options, a number's range", () => {
    expect(problems(edit((p) => (p.capabilities[2].options = ['cd', 'DVD'])))).toEqual([
      'capabilities[2].options[1]: "DVD" is not a value of command INPUT_SET (CD, TUNER)',
    ]);
    expect(problems(edit((p) => Object.assign(p.capabilities[1], { min: -10, max: 100 })))).toEqual([
      'capabilities[1].min: command VOL_SET takes no less than 0, not -10',
      'capabilities[1].max: command VOL_SET takes no more than 98, not 100',
    ]);
    expect(problems(edit((p) => delete p.capabilities[1].max))).toEqual(['capabilities[1]: give max: command VOL_SET takes no more than 98']);
  });

  it("are @mg/core's capabilities: core's rules between keys refuse the profile at load, each problem with the profile's path", () => {
    // The schema itself, not a copy of its shape that could drift from it.
    expect(profileSchema.shape.capabilities.unwrap().element).toBe(capabilitySchema);
    // What the gateway would refuse at start is refused by the loader (and --check), in the profile's terms.
    expect(problems(edit((p) => delete p.capabilities[2].options))).toEqual(['capabilities[2].options: is required for an enum']);
    expect(
      problems(
        edit((p) => {
          p.capabilities[0].unit = 'dB';
          Object.assign(p.capabilities[1], { kind: 'trigger', access: 'write' });
          delete p.capabilities[1].state;
        }),
      ),
    ).toEqual([
      'capabilities[0].unit: is for numbers only, not binary',
      'capabilities[1].min: is for numbers only, not trigger',
      'capabilities[1].max: is for numbers only, not trigger',
      'capabilities[1].step: is for numbers only, not trigger',
      'capabilities[1].command: a trigger carries no value: give no argument',
    ]);
  });

  it('report shape problems with the rest, each with its path and the likely key', () => {
    expect(
      problems(
        edit((p) => {
          p.capabilities[0].id = 'Mute';
          p.capabilities[1].knd = 'number';
          p.capabilities[2].command.action = 'NOPE';
        }),
      ),
    ).toEqual([
      'capabilities[0].id: must be lowercase letters, digits and hyphens, not starting with a hyphen (a capability id is a topic level in every convention) (found "Mute")',
      'capabilities[1]: unknown key "knd"; did you mean "kind"?',
      'capabilities[2].command.action: the profile has no command "NOPE" (commands: MUTE_ON, MUTE_OFF, VOL_SET, INPUT_SET, ZONE_SET)',
    ]);
  });
});
