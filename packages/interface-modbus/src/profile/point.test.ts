import { ModbusError } from '../errors.js';
import { compileModbusProfile } from './load.js';
import type { ModbusPoint } from './types.js';

/** The one point of a profile made of `point` (and the profile's `extra` keys). */
function pointOf(point: Record<string, unknown>, extra: Record<string, unknown> = {}): ModbusPoint {
  return compileModbusProfile({ name: 't', description: 'test', points: [{ id: 'p', ...point }], ...extra }, 't.json').points[0]!;
}

const badAnswer = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ModbusError);
    return (err as ModbusError).code;
  }
  return 'no error';
};

describe('a point', () => {
  it('takes its table from a register number and its defaults from its table', () => {
    const p = pointOf({ address: '30073', type: 'float32' });
    expect([p.table, p.address, p.count, p.type, p.intervalMs, p.action, p.argument, p.write]).toEqual([
      'input',
      72,
      2,
      'float32',
      10_000,
      'P',
      'value',
      undefined,
    ]);
    expect(pointOf({ address: '00003' })).toMatchObject({ table: 'coil', address: 2, count: 1, type: 'bool' });
    expect(pointOf({ table: 'holding', address: 7 })).toMatchObject({ table: 'holding', address: 7, count: 1, type: 'uint16' });
    expect(pointOf({ table: 'holding', address: 0, type: 'string', length: 8 }).count).toBe(8);
  });

  it('takes its interval, orders and policy from itself, then its group, then the profile', () => {
    const groups = { fast: { pollSeconds: 1, wordOrder: 'little', publish: { changeOnly: true, refresh: 60 } } };
    const extra = { pollSeconds: 30, groups, publish: { retain: false, refresh: 600 } };
    expect(pointOf({ address: '30001' }, extra).intervalMs).toBe(30_000);
    const p = pointOf({ address: '30001', type: 'float32', group: 'fast', publish: { deadband: 1 } }, extra);
    expect(p.intervalMs).toBe(1000);
    expect(p.publish).toEqual({ retain: false, refresh: 60, changeOnly: true, deadband: 1 });
    expect(p.decode([0x8000, 0x4366])).toBe(230.5); // the group's word order
    expect(pointOf({ address: '30001', type: 'float32', group: 'fast', pollSeconds: 0.5, wordOrder: 'big' }, extra).decode([0x4366, 0x8000])).toBe(230.5);
    expect(pointOf({ address: '30001', pollSeconds: 0.5 }, extra).intervalMs).toBe(500);
  });
});

describe('decode', () => {
  it('applies scale, then offset, without float noise', () => {
    expect(pointOf({ address: '30001', scale: 0.1 }).decode([2305])).toBe(230.5);
    expect(pointOf({ address: '30001', type: 'int16', scale: 0.1, offset: -40 }).decode([0xfff6])).toBe(-41);
    expect(pointOf({ address: '30001', scale: 0.01 }).decode([123])).toBe(1.23);
    expect(pointOf({ address: '30001', type: 'float32', decimals: 1 }).decode([0x4366, 0x7ae1])).toBe(230.5);
  });

  it('publishes float32 at its own precision', () => {
    // 229.8 as float32 is 229.8000030517578.
    expect(pointOf({ address: '30001', type: 'float32' }).decode([0x4365, 0xcccd])).toBe(229.8);
  });

  it('publishes a NaN, an infinity and the noValue values as null', () => {
    const float = pointOf({ address: '30001', type: 'float32' });
    expect(float.decode([0x7fc0, 0x0000])).toBeNull();
    expect(float.decode([0xffc0, 0x0001])).toBeNull();
    expect(float.decode([0x7f80, 0x0000])).toBeNull();
    const sensor = pointOf({ address: '30001', type: 'int16', scale: 0.1, noValue: [-32768, 32767] });
    expect(sensor.decode([0x8000])).toBeNull();
    expect(sensor.decode([0x7fff])).toBeNull();
    expect(sensor.decode([0x00d7])).toBe(21.5);
    expect(pointOf({ address: '30001', type: 'uint64', noValue: [0] }).decode([0, 0, 0, 0])).toBeNull();
  });

  it('publishes 64-bit integers as numbers while safe, else as exact decimal strings', () => {
    const u = pointOf({ address: '30001', type: 'uint64' });
    expect(u.decode([0x001f, 0xffff, 0xffff, 0xffff])).toBe(Number.MAX_SAFE_INTEGER);
    expect(u.decode([0x0020, 0, 0, 0])).toBe('9007199254740992');
    expect(u.decode([0xffff, 0xffff, 0xffff, 0xffff])).toBe('18446744073709551615');
    const i = pointOf({ address: '30001', type: 'int64' });
    expect(i.decode([0xffff, 0xffff, 0xffff, 0xfffe])).toBe(-2);
    expect(i.decode([0x8000, 0, 0, 0])).toBe('-9223372036854775808');
    expect(pointOf({ address: '30001', type: 'uint64', scale: 0.001 }).decode([0, 0, 0, 1234])).toBe(1.234);
  });

  it('publishes the name of an enumerated value, and the number of one not listed', () => {
    const mode = pointOf({ address: '40001', enum: { '0': 'off', '1': 'heat' } });
    expect(mode.decode([1])).toBe('heat');
    expect(mode.decode([7])).toBe(7);
  });

  it('reads bits, bools and strings', () => {
    expect(pointOf({ address: '10001' }).decode([true])).toBe(true);
    expect(pointOf({ address: '40001', type: 'bit', bit: 3 }).decode([0b1000])).toBe(true);
    expect(pointOf({ address: '40001', type: 'bool' }).decode([2])).toBe(true);
    expect(pointOf({ address: '40001', type: 'string', length: 3 }).decode([0x5344, 0x4d36, 0x3330])).toBe('SDM630');
  });

  it('refuses answers of the wrong length or kind as bad answers', () => {
    const p = pointOf({ address: '30001', type: 'float32' });
    expect(badAnswer(() => p.decode([0x4366]))).toBe('MODBUS_BAD_ANSWER');
    expect(() => p.decode([0x4366])).toThrow('p (input 0): expected 2 register(s), got 1');
    expect(() => p.decode([0x4366, 65536])).toThrow('65536 is not a register value (0 to 65535)');
    expect(() => p.decode([true, false])).toThrow('true is not a register value');
    expect(() => pointOf({ address: '00001' }).decode([1])).toThrow('expected a bit, got 1');
  });
});

describe('check and encode', () => {
  const setpoint = () => pointOf({ address: '40001', type: 'int16', scale: 0.1, write: { min: 5, max: 30, step: 0.5 } });

  it('accepts values in range and on the step, and encodes them through scale', () => {
    const p = setpoint();
    expect(p.write).toEqual({ action: 'P_SET', fc: 6 });
    expect(p.check(21.5)).toEqual({ ok: true, value: 21.5 });
    expect(p.check('21.5')).toEqual({ ok: true, value: 21.5 });
    expect(p.encode(21.5)).toEqual([215]);
    expect(p.check(5)).toEqual({ ok: true, value: 5 });
    expect(p.encode(30)).toEqual([300]);
  });

  it('refuses values out of range, off the step or not numbers, worded for the sender', () => {
    const p = setpoint();
    expect(p.check(31)).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got 31' });
    expect(p.check(4.5)).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got 4.5' });
    expect(p.check(21.3)).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got 21.3, which is off the steps' });
    expect(p.check('warm')).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got "warm"' });
    expect(p.check(null)).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got null' });
    expect(p.check(undefined)).toEqual({ ok: false, reason: 'p expects a number from 5 to 30 in steps of 0.5, got nothing' });
  });

  it('refuses values the register cannot hold', () => {
    const p = pointOf({ address: '40001', type: 'int16', scale: 0.1, write: true });
    expect(p.check(21.55)).toEqual({ ok: false, reason: 'p cannot hold 21.55: its steps are 0.1' });
    expect(p.check(4000)).toEqual({ ok: false, reason: 'p: 4000 is out of the range of the register (int16)' });
    expect(pointOf({ address: '40001', write: true }).check(-1)).toEqual({ ok: false, reason: 'p: -1 is out of the range of the register (uint16)' });
    expect(pointOf({ address: '40001', type: 'float32', write: true }).check(1e39)).toEqual({ ok: false, reason: 'p: 1e+39 does not fit a float32' });
  });

  it('refuses writes to a read-only point', () => {
    expect(pointOf({ address: '40001' }).check(1)).toEqual({ ok: false, reason: 'p cannot be written' });
  });

  it('writes multi-register types with function 16, in the profile order', () => {
    const p = pointOf({ address: '40001', type: 'float32', write: true }, { wordOrder: 'little' });
    expect(p.write).toEqual({ action: 'P_SET', fc: 16 });
    expect(p.encode(230.5)).toEqual([0x8000, 0x4366]);
    expect(pointOf({ address: '40001', type: 'int32', scale: 0.5, offset: 10, write: true }).encode(-20)).toEqual([0xffff, 0xffc4]);
    expect(pointOf({ address: '40001', write: { fc: 16 } }).write).toEqual({ action: 'P_SET', fc: 16 });
  });

  it('writes 64-bit integers from numbers and from decimal strings, exactly', () => {
    const p = pointOf({ address: '40001', type: 'uint64', write: true });
    expect(p.check('18446744073709551615')).toEqual({ ok: true, value: '18446744073709551615' });
    expect(p.encode('18446744073709551615')).toEqual([0xffff, 0xffff, 0xffff, 0xffff]);
    expect(p.check('18446744073709551616')).toEqual({ ok: false, reason: 'p: 18446744073709551616 does not fit a uint64' });
    expect(p.encode(65536)).toEqual([0, 0, 1, 0]);
    expect(pointOf({ address: '40001', type: 'int64', write: true }).encode(-2)).toEqual([0xffff, 0xffff, 0xffff, 0xfffe]);
  });

  it('takes a name of the enumeration (or one of its raw values)', () => {
    const p = pointOf({ address: '40001', enum: { '0': 'off', '1': 'heat', '3': 'auto' }, write: true });
    expect(p.check('Heat')).toEqual({ ok: true, value: 'heat' });
    expect(p.check(3)).toEqual({ ok: true, value: 'auto' });
    expect(p.encode('auto')).toEqual([3]);
    expect(p.check('cool')).toEqual({ ok: false, reason: 'p expects one of off, heat, auto, got "cool"' });
    expect(p.check(2)).toEqual({ ok: false, reason: 'p expects one of off, heat, auto, got 2' });
  });

  it('takes on/off for a coil and writes it with function 5', () => {
    const p = pointOf({ address: '00001', write: true });
    expect(p.write).toEqual({ action: 'P_SET', fc: 5 });
    for (const on of [true, 'on', 'ON', 'true', 1, '1']) expect(p.check(on)).toEqual({ ok: true, value: true });
    for (const off of [false, 'off', 'false', 0, '0']) expect(p.check(off)).toEqual({ ok: true, value: false });
    expect(p.check('maybe')).toEqual({ ok: false, reason: 'p expects on or off (true/false, 1/0), got "maybe"' });
    expect(p.encode(true)).toEqual([true]);
    expect(p.encode(false)).toEqual([false]);
    expect(pointOf({ address: '40001', type: 'bool', write: true }).encode(true)).toEqual([1]);
  });

  it('takes latin1 text that fits, padded with NULs', () => {
    const p = pointOf({ address: '40001', type: 'string', length: 2, write: true });
    expect(p.check('abcd')).toEqual({ ok: true, value: 'abcd' });
    expect(p.encode('ab')).toEqual([0x6162, 0]);
    expect(p.check('abcde')).toEqual({ ok: false, reason: 'p holds at most 4 characters, got 5' });
    expect(p.check('€')).toEqual({ ok: false, reason: 'p takes latin1 characters only (one byte each), got "€"' });
    expect(p.check(5)).toEqual({ ok: false, reason: 'p expects text, got 5' });
  });

  it('round-trips every type in every order', () => {
    const cases: [string, unknown][] = [
      ['int16', -1234],
      ['uint16', 54321],
      ['int32', -123456789],
      ['uint32', 4000000000],
      ['int64', -1234567890123],
      ['uint64', 1234567890123],
      ['float32', 230.5],
      ['float64', -1234.5678],
    ];
    for (const [byteOrder, wordOrder] of [
      ['big', 'big'],
      ['big', 'little'],
      ['little', 'big'],
      ['little', 'little'],
    ])
      for (const [type, value] of cases) {
        const p = pointOf({ address: '40001', type, write: true }, { byteOrder, wordOrder });
        const checked = p.check(value);
        expect(checked).toEqual({ ok: true, value });
        expect(p.decode(p.encode(value as number))).toBe(value);
      }
  });
});
