import type { CompiledProfile } from './compiled.js';
import { loadProfile } from './load.js';

// The engine on features the Denon profile does not use.
function profile(extra: Record<string, unknown>): CompiledProfile {
  return loadProfile({ name: 'test', description: 'a test device', ...extra }, 'test');
}

describe('command arguments', () => {
  const p = profile({
    framing: { terminator: '>', sendTerminator: '\r\n', encoding: 'ascii' },
    commands: {
      PRESET: { send: 'P{n}', arguments: { n: { type: 'integer', min: 1, max: 16, pad: 3, map: { '16': 'MAX' } } } },
      GAIN: { send: 'G{db}', arguments: { db: { type: 'number', min: -20, max: 10, pad: 2 } } },
      EVEN: { send: 'E{n}', arguments: { n: { type: 'integer', min: 1, step: 2 } } },
      NAME: { send: 'NAME "{text}"', arguments: { text: { type: 'string', pattern: '[A-Za-z ]*', maxLength: 8 } } },
      SAY: { send: 'SAY{text}', arguments: { text: { type: 'string' } } },
      MODE: { send: 'M{mode}', arguments: { mode: { type: 'enum', values: ['eco', 'normal', 'boost'], map: { eco: '0', normal: '1' } } } },
      SWAP: { send: 'X{a},{b}', arguments: { a: { type: 'integer' }, b: { type: 'integer' } } },
    },
  });
  const send = (action: string, args: Record<string, unknown>) => p.commandFor(action, args);

  it('pads whole numbers and sends mapped tokens', () => {
    expect(send('PRESET', { n: 7 })).toEqual({ ok: true, line: 'P007' });
    expect(send('PRESET', { n: '12' })).toEqual({ ok: true, line: 'P012' });
    expect(send('PRESET', { n: 16 })).toEqual({ ok: true, line: 'PMAX' });
    expect(send('PRESET', { n: 7.5 })).toEqual({ ok: false, reason: 'argument "n" must be a whole number between 1 and 16, got 7.5' });
  });

  it('writes fractions with a point by default, and signs before the padding', () => {
    expect(send('GAIN', { db: 2.25 })).toEqual({ ok: true, line: 'G02.25' });
    expect(send('GAIN', { db: -5 })).toEqual({ ok: true, line: 'G-05' });
    expect(send('GAIN', { db: '-0' })).toEqual({ ok: true, line: 'G00' });
  });

  it('counts steps from min', () => {
    expect(send('EVEN', { n: 5 })).toEqual({ ok: true, line: 'E5' });
    expect(send('EVEN', { n: 4 })).toEqual({ ok: false, reason: 'argument "n" must be a whole number of at least 1 in steps of 2, got 4' });
  });

  it('takes text that matches its pattern and fits, never control characters or a terminator', () => {
    expect(send('NAME', { text: 'Kitchen' })).toEqual({ ok: true, line: 'NAME "Kitchen"' });
    const domain = 'text of at most 8 printable characters matching [A-Za-z ]*';
    expect(send('NAME', { text: 'Kitchen 2' })).toEqual({ ok: false, reason: `argument "text" must be ${domain}, got "Kitchen 2"` });
    expect(send('SAY', { text: 42 })).toEqual({ ok: true, line: 'SAY42' });
    expect(send('SAY', { text: 'a\rb' })).toEqual({ ok: false, reason: 'argument "text" must be text of at most 64 printable characters, got "a\\rb"' });
    expect(send('SAY', { text: 'a>b' })).toEqual({ ok: false, reason: 'argument "text" cannot be sent: it contains the line terminator ">"' });
    expect(send('SAY', { text: 'café' })).toEqual({ ok: false, reason: 'argument "text" cannot be sent: it contains "é", which ascii cannot encode' });
    expect(send('SAY', { text: 'x'.repeat(65) }).ok).toBe(false);
  });

  it('maps enum values to device tokens, the unmapped ones sent as they are', () => {
    expect(send('MODE', { mode: 'ECO' })).toEqual({ ok: true, line: 'M0' });
    expect(send('MODE', { mode: 'boost' })).toEqual({ ok: true, line: 'Mboost' });
    expect(send('MODE', { mode: 'turbo' })).toEqual({ ok: false, reason: 'argument "mode" must be one of eco, normal, boost, got "turbo"' });
  });

  it('reports every argument problem in one reason', () => {
    expect(send('SWAP', { a: 'x' })).toEqual({
      ok: false,
      reason: 'argument "a" must be a whole number, got "x"; argument "b" is missing: SWAP needs a whole number',
    });
  });

  it('gives the transport both terminators', () => {
    expect(p.transportOptions()).toEqual({
      framing: { terminator: ['>'], maxLineBytes: 1024, skipEmpty: true },
      encoding: 'ascii',
      sendTerminator: '\r\n',
      spacingMs: 0,
    });
  });
});

describe('statuses', () => {
  const p = profile({
    commands: { PING: { send: 'PING' } },
    statuses: [
      { match: 'T(?<tenths>-?\\d{1,4})', action: 'TEMPERATURE', arguments: { celsius: { group: 'tenths', type: 'number', scale: 0.1 }, unit: { value: 'C' } } },
      { match: 'FAN (\\w{1,8})', action: 'FAN', arguments: { speed: { group: 1, map: { LO: 1, HI: 2, OFF: false } } } },
      { match: 'FAN (\\w{1,8})', action: 'FAN_UNKNOWN', arguments: { token: { group: 1 } } },
      { match: 'CH(\\d{1,2})(?: ([A-Z]{1,4}))?', action: 'CHANNEL', arguments: { number: { group: 1, type: 'integer' }, label: { group: 2 } } },
      { match: 'H([0-9.]{1,6})', action: 'HALF', arguments: { value: { group: 1, type: 'integer', scale: 0.5 } } },
      { match: 'H(.{1,6})', action: 'HALF_TEXT', arguments: { value: { group: 1 } } },
    ],
    queries: {
      atStart: ['T?'],
      every: { seconds: 30, send: ['T?', 'FAN?'] },
      poll: [
        { seconds: 1.1, jitter: 0.2, send: ['CH?'] },
        { seconds: 600, send: ['H?', 'FAN?'] },
      ],
    },
  });

  it('reads named groups, scales, and adds constants', () => {
    expect(p.parseLine('T215')).toEqual({ action: 'TEMPERATURE', arguments: { celsius: 21.5, unit: 'C' } });
    expect(p.parseLine('T-3')).toEqual({ action: 'TEMPERATURE', arguments: { celsius: -0.3, unit: 'C' } });
  });

  it('maps tokens to typed values; a token not in the map falls through to the next status', () => {
    expect(p.parseLine('FAN HI')).toEqual({ action: 'FAN', arguments: { speed: 2 } });
    expect(p.parseLine('FAN OFF')).toEqual({ action: 'FAN', arguments: { speed: false } });
    expect(p.parseLine('FAN TURBO')).toEqual({ action: 'FAN_UNKNOWN', arguments: { token: 'TURBO' } });
  });

  it('leaves out an argument whose group did not take part', () => {
    expect(p.parseLine('CH7 NEWS')).toEqual({ action: 'CHANNEL', arguments: { number: 7, label: 'NEWS' } });
    expect(p.parseLine('CH7')).toEqual({ action: 'CHANNEL', arguments: { number: 7 } });
  });

  it('falls through when a number does not read, or an integer is not whole after scaling', () => {
    expect(p.parseLine('H8')).toEqual({ action: 'HALF', arguments: { value: 4 } });
    expect(p.parseLine('H7')).toEqual({ action: 'HALF_TEXT', arguments: { value: '7' } });
    expect(p.parseLine('H1.2.3')).toEqual({ action: 'HALF_TEXT', arguments: { value: '1.2.3' } });
  });

  it('without a confirm pattern, any recognised line confirms a command', () => {
    expect(p.isConfirmation('PING', 'T215')).toBe(true);
    expect(p.isConfirmation('PING', 'PONG')).toBe(false);
  });

  it('turns periodic queries into poll items, every first, each with its own interval', () => {
    expect(p.queries).toEqual({
      atStart: ['T?'],
      afterCommand: [],
      every: { intervalMs: 30_000, send: ['T?', 'FAN?'] },
      polls: [
        { id: 'queries.every', intervalMs: 30_000, jitterMs: 0, send: ['T?', 'FAN?'] },
        { id: 'queries.poll[0]', intervalMs: 1_100, jitterMs: 200, send: ['CH?'] },
        { id: 'queries.poll[1]', intervalMs: 600_000, jitterMs: 0, send: ['H?', 'FAN?'] },
      ],
    });
  });
});
