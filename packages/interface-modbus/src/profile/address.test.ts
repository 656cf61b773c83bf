import { parseAddress, registerNumber } from './address.js';

describe('parseAddress', () => {
  it('takes a number as the 0-based protocol address', () => {
    expect(parseAddress(0)).toEqual({ ok: true, address: 0 });
    expect(parseAddress(40001)).toEqual({ ok: true, address: 40001 });
    expect(parseAddress(65535)).toEqual({ ok: true, address: 65535 });
  });

  it('refuses numbers that are no protocol address', () => {
    for (const n of [-1, 65536, 1.5]) expect(parseAddress(n)).toEqual({ ok: false, reason: `${n} is not a protocol address (a whole number from 0 to 65535)` });
  });

  it('reads hexadecimal strings as 0-based addresses', () => {
    expect(parseAddress('0x0048')).toEqual({ ok: true, address: 72 });
    expect(parseAddress('0X156')).toEqual({ ok: true, address: 342 });
  });

  it('reads 5-digit register numbers: table digit, then counted from 1', () => {
    expect(parseAddress('40001')).toEqual({ ok: true, address: 0, table: 'holding' });
    expect(parseAddress('30001')).toEqual({ ok: true, address: 0, table: 'input' });
    expect(parseAddress('30073')).toEqual({ ok: true, address: 72, table: 'input' });
    expect(parseAddress('30343')).toEqual({ ok: true, address: 342, table: 'input' });
    expect(parseAddress('10001')).toEqual({ ok: true, address: 0, table: 'discrete' });
    expect(parseAddress('00001')).toEqual({ ok: true, address: 0, table: 'coil' });
    expect(parseAddress('49999')).toEqual({ ok: true, address: 9998, table: 'holding' });
  });

  it('reads 6-digit register numbers up to the whole address space', () => {
    expect(parseAddress('400001')).toEqual({ ok: true, address: 0, table: 'holding' });
    expect(parseAddress('465536')).toEqual({ ok: true, address: 65535, table: 'holding' });
    expect(parseAddress('300073')).toEqual({ ok: true, address: 72, table: 'input' });
  });

  it('explains register numbers that cannot be', () => {
    expect(parseAddress('20001')).toEqual({
      ok: false,
      reason: '"20001" starts with 2: register numbers start with 0 (coil), 1 (discrete input), 3 (input) or 4 (holding)',
    });
    expect(parseAddress('40000')).toEqual({ ok: false, reason: '"40000": the number after the table digit counts from 1 (40001 is the first) up to 9999' });
    expect(parseAddress('465537')).toEqual({ ok: false, reason: '"465537": the number after the table digit counts from 1 (40001 is the first) up to 65536' });
    expect(parseAddress('4001')).toEqual({
      ok: false,
      reason:
        '"4001" is not an address: write a 0-based number (0), a hex string ("0x0000"), or a register number of 5 or 6 digits ("30001" for input register 0)',
    });
  });
});

describe('registerNumber', () => {
  it('is the inverse of the notation', () => {
    expect(registerNumber('holding', 0)).toBe('40001');
    expect(registerNumber('input', 342)).toBe('30343');
    expect(registerNumber('coil', 0)).toBe('00001');
    expect(registerNumber('discrete', 9998)).toBe('19999');
    expect(registerNumber('holding', 9999)).toBe('410000');
    for (const table of ['holding', 'input', 'coil', 'discrete'] as const)
      for (const a of [0, 72, 9998, 9999, 65535]) expect(parseAddress(registerNumber(table, a))).toEqual({ ok: true, address: a, table });
  });
});
