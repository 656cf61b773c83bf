import type { Capability } from '@mg/core';
import { receiver } from './test-support/devices.js';
import { parsed } from './test-support/settings.js';
import { formatState, parseCommand } from './values.js';

const caps = Object.fromEntries(parsed(receiver)[0]!.capabilities.map((c) => [c.id, c])) as Record<string, Capability>;

describe('states for Home Assistant', () => {
  it('writes binaries as ON/OFF, numbers as numbers, options and text as they are', () => {
    expect([formatState(caps.power!, true), formatState(caps.power!, false)]).toEqual(['ON', 'OFF']);
    expect([formatState(caps.volume!, -20.5), formatState(caps.volume!, 0)]).toEqual(['-20.5', '0']);
    expect(formatState(caps.source!, 'tuner')).toBe('tuner');
    expect(formatState(caps.display!, 'Hello')).toBe('Hello');
  });

  it('cuts text at 255 characters, the longest state Home Assistant keeps', () => {
    expect(formatState(caps.title!, 'x'.repeat(300))).toHaveLength(255);
  });
});

describe('commands from Home Assistant', () => {
  it('reads ON/OFF (any case) for a switch', () => {
    expect(parseCommand(caps.power!, 'ON')).toEqual({ ok: true, value: true });
    expect(parseCommand(caps.power!, 'off')).toEqual({ ok: true, value: false });
    expect(parseCommand(caps.power!, 'maybe')).toEqual({ ok: false, reason: expect.stringContaining('ON or OFF') });
  });

  it('reads numbers as Home Assistant sends them ("42.0", "-3.5")', () => {
    expect(parseCommand(caps.volume!, '42.0')).toEqual({ ok: true, value: 42 });
    expect(parseCommand(caps.volume!, '-3.5')).toEqual({ ok: true, value: -3.5 });
    expect(parseCommand(caps.volume!, '')).toMatchObject({ ok: false });
    expect(parseCommand(caps.volume!, 'loud')).toMatchObject({ ok: false });
  });

  it('takes an option of a select, any text for a text, PRESS for a button', () => {
    expect(parseCommand(caps.source!, 'hdmi1')).toEqual({ ok: true, value: 'hdmi1' });
    expect(parseCommand(caps.source!, 'vinyl')).toEqual({ ok: false, reason: expect.stringContaining('cd, tuner, hdmi1') });
    expect(parseCommand(caps.display!, ' two words ')).toEqual({ ok: true, value: ' two words ' });
    expect(parseCommand(caps['mute-toggle']!, 'PRESS')).toEqual({ ok: true });
    expect(parseCommand(caps['mute-toggle']!, 'push')).toMatchObject({ ok: false });
  });
});
