import { join } from 'node:path';
import type { CompiledProfile } from './compiled.js';
import { loadProfileFile } from './load.js';
import { shippedProfileNames, shippedProfilePath } from './shipped.js';

// The shipped Denon/Marantz profile, through the engine: what users will send and receive.
let denon: CompiledProfile;
beforeAll(() => (denon = loadProfileFile(shippedProfilePath('denon-avr')!)));

const line = (action: string, args?: Record<string, unknown>) => {
  const result = denon.commandFor(action, args);
  if (!result.ok) throw new Error(result.reason);
  return result.line;
};
const reason = (action: string, args?: Record<string, unknown>) => {
  const result = denon.commandFor(action, args);
  if (result.ok) throw new Error(`accepted as ${result.line}`);
  return result.reason;
};

describe('the shipped profiles', () => {
  it('are found by name, never by path', () => {
    expect(shippedProfileNames()).toContain('denon-avr');
    expect(shippedProfilePath('denon-avr')).toBe(join(__dirname, '..', '..', 'profiles', 'denon-avr.json'));
    expect(shippedProfilePath('nope')).toBeUndefined();
    expect(shippedProfilePath('../profiles/denon-avr')).toBeUndefined();
  });
});

describe('denon-avr commands', () => {
  it.each([
    ['POWER_ON', 'PWON'],
    ['POWER_OFF', 'PWSTANDBY'],
    ['MUTE_ON', 'MUON'],
    ['MUTE_OFF', 'MUOFF'],
    ['VOL_UP', 'MVUP'],
    ['VOL_DOWN', 'MVDOWN'],
  ])('%s sends %s', (action, sent) => {
    expect(line(action)).toBe(sent);
  });

  it.each([
    [45, 'MV45'],
    [45.5, 'MV455'],
    ['45', 'MV45'],
    ['45.5', 'MV455'],
    [' 45.0 ', 'MV45'],
    [0, 'MV00'],
    [0.5, 'MV005'],
    [5, 'MV05'],
    [5.5, 'MV055'],
    [98, 'MV98'],
  ])('VOL_SET level %j sends %s', (level, sent) => {
    expect(line('VOL_SET', { level })).toBe(sent);
  });

  it('refuses levels outside the protocol, with a reason for the sender', () => {
    const domain = 'a number between 0 and 98 in steps of 0.5';
    expect(reason('VOL_SET', { level: 'loud' })).toBe(`argument "level" must be ${domain}, got "loud"`);
    for (const level of [99, -1, 45.3, true, null, '', '4e1', '0x10', [45], { v: 45 }]) {
      expect(reason('VOL_SET', { level })).toBe(`argument "level" must be ${domain}, got ${JSON.stringify(level)}`);
    }
    expect(reason('VOL_SET')).toBe(`argument "level" is missing: VOL_SET needs ${domain}`);
    expect(reason('VOL_SET', { level: 45, fade: 2 })).toBe('VOL_SET takes no argument "fade" (it takes: level)');
    expect(reason('MUTE_ON', { level: 45 })).toBe('MUTE_ON takes no arguments, got "level"');
  });

  it('names the known actions when asked for another one', () => {
    expect(reason('FOO')).toBe('unknown action "FOO" for this device (known: POWER_ON, POWER_OFF, MUTE_ON, MUTE_OFF, VOL_UP, VOL_DOWN, VOL_SET, INPUT_SET)');
  });

  it('reads action names and sources ignoring case, and ignores a correlation key', () => {
    expect(line('vol_set', { level: 20, correlation: 'req-1' })).toBe('MV20');
    expect(line('INPUT_SET', { source: 'CD' })).toBe('SICD');
    expect(line('INPUT_SET', { source: 'sat/cbl' })).toBe('SISAT/CBL');
    expect(line('INPUT_SET', { source: 'Usb/iPod' })).toBe('SIUSB/IPOD');
  });

  it('refuses a source the protocol does not have, and anything that would smuggle in a second command', () => {
    expect(reason('INPUT_SET', { source: 'RADIO' })).toMatch(/^argument "source" must be one of PHONO, CD, TUNER, .*, FVP, got "RADIO"$/);
    expect(reason('INPUT_SET', { source: 'CD\rPWSTANDBY' })).toMatch(/^argument "source" must be one of .*, got "CD\\rPWSTANDBY"$/);
  });
});

describe('denon-avr device lines', () => {
  it.each([
    ['PWON', 'POWER', { state: 'on' }],
    ['PWSTANDBY', 'POWER', { state: 'off' }],
    ['MUON', 'MUTE', { state: 'on' }],
    ['MUOFF', 'MUTE', { state: 'off' }],
    ['MV45', 'VOLUME', { level: 45 }],
    ['MV455', 'VOLUME', { level: 45.5 }],
    ['MV00', 'VOLUME', { level: 0 }],
    ['MV005', 'VOLUME', { level: 0.5 }],
    ['MV98', 'VOLUME', { level: 98 }],
    ['MVMAX 98', 'VOLUME_MAX', { level: 98 }],
    ['MVMAX 805', 'VOLUME_MAX', { level: 80.5 }],
    ['SICD', 'INPUT', { source: 'CD' }],
    ['SISAT/CBL', 'INPUT', { source: 'SAT/CBL' }],
    ['SIUSB/IPOD', 'INPUT', { source: 'USB/IPOD' }],
  ])('%s is %s %j', (text, action, args) => {
    const parsed = denon.parseLine(text);
    expect(parsed).toEqual({ action, arguments: args });
    expect(Object.getPrototypeOf(parsed!.arguments)).toBeNull(); // `__proto__` could never be a key with effects
  });

  it.each([
    '',
    'ZMON',
    'PWOFF',
    'MV',
    'MV4',
    'MV456',
    'MV4a',
    'MVMAX',
    'MVMAX 9',
    'SI',
    `SI${'A'.repeat(17)}`,
    'pwon',
    ' PWON',
    'PWON ',
    'MSSTEREO',
    'CVFL 50',
  ])('%j is not recognised', (text) => {
    expect(denon.parseLine(text)).toBeUndefined();
  });

  it('reads back every level it can send, and every source', () => {
    for (let level = 0; level <= 98; level += 0.5) expect(denon.parseLine(line('VOL_SET', { level }))).toEqual({ action: 'VOLUME', arguments: { level } });
    const sources = (denon.definition.commands.INPUT_SET!.arguments!.source as { values: string[] }).values;
    for (const source of sources) expect(denon.parseLine(line('INPUT_SET', { source }))).toEqual({ action: 'INPUT', arguments: { source } });
  });

  it('knows which lines confirm which command', () => {
    expect(denon.isConfirmation('VOL_SET', 'MV45')).toBe(true);
    expect(denon.isConfirmation('VOL_SET', 'MV455')).toBe(true);
    expect(denon.isConfirmation('VOL_SET', 'MVMAX 98')).toBe(false);
    expect(denon.isConfirmation('VOL_UP', 'PWON')).toBe(false);
    expect(denon.isConfirmation('POWER_ON', 'PWON')).toBe(true);
    expect(denon.isConfirmation('POWER_ON', 'PWSTANDBY')).toBe(false);
    expect(denon.isConfirmation('INPUT_SET', 'SITUNER')).toBe(true);
    expect(denon.isConfirmation('FOO', 'PWON')).toBe(false);
    expect(denon.confirmationFor('FOO')).toBeUndefined();
  });

  it('gives up at once on a kilobyte of noise: nothing recognised, nothing hangs', () => {
    let seed = 42; // a fixed generator, so a failure can be replayed
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const noise = (alphabet: string) => Array.from({ length: 1024 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const bytes = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const lines = [
      ...Array.from({ length: 200 }, () => noise(bytes)),
      ...Array.from({ length: 50 }, () => noise('PWONMUVSI0123456789 ')),
      `MV${'9'.repeat(1022)}`,
      `MVMAX ${'5'.repeat(1018)}`,
      `SI${'A'.repeat(1022)}`,
      `PW${'ON'.repeat(511)}`,
      'MV45'.repeat(256),
    ];
    for (const text of lines) expect(denon.parseLine(text)).toBeUndefined();
  });

  it('gives the transport its framing, encoding and spacing, and the queries to send at start', () => {
    expect(denon.transportOptions()).toEqual({
      framing: { terminator: ['\r'], maxLineBytes: 256, skipEmpty: true },
      encoding: 'ascii',
      sendTerminator: '\r',
      spacingMs: 50,
    });
    expect(denon.queries).toEqual({ atStart: ['PW?', 'MU?', 'MV?', 'SI?'], afterCommand: [], polls: [] });
    for (const query of denon.queries.atStart) expect(denon.parseLine(query)).toBeUndefined();
  });
});
