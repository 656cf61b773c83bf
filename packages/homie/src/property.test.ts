import type { Capability } from '@mg/core';
import { propertyFor, enumFormat, formatFloat } from './property.js';

const cap = (c: Partial<Capability>): Capability => ({ id: 'x', name: 'X', kind: 'text', access: 'readwrite', ...c });

describe('propertyFor: the mapping table of the README', () => {
  it.each<[string, Partial<Capability>, object]>([
    ['binary', { kind: 'binary' }, { datatype: 'boolean', settable: true, retained: true }],
    ['number, whole bounds and step', { kind: 'number', min: 0, max: 100, step: 1, unit: '%' }, { datatype: 'integer', format: '0:100:1', unit: '%' }],
    ['number without step', { kind: 'number', min: 0, max: 100 }, { datatype: 'float', format: '0:100' }],
    ['number with a fractional step', { kind: 'number', min: -10, max: 10, step: 0.5 }, { datatype: 'float', format: '-10:10:0.5' }],
    ['number with a fractional bound', { kind: 'number', min: 0.5, max: 10, step: 1 }, { datatype: 'float', format: '0.5:10:1' }],
    ['number, max only', { kind: 'number', max: 1e21 }, { datatype: 'float', format: ':1e21' }],
    ['number, step only', { kind: 'number', step: 2 }, { datatype: 'integer', format: '::2' }],
    ['number, step wider than the range', { kind: 'number', min: 0, max: 1, step: 5 }, { datatype: 'integer', format: '0:1' }],
    ['number, unbounded', { kind: 'number' }, { datatype: 'float' }],
    ['enum', { kind: 'enum', options: ['eco', 'normal'] }, { datatype: 'enum', format: 'eco,normal' }],
    ['enum with a comma in an option', { kind: 'enum', options: ['a,b', 'c'] }, { datatype: 'string' }],
    ['text', { kind: 'text' }, { datatype: 'string' }],
    ['trigger', { kind: 'trigger', access: 'write' }, { datatype: 'enum', format: 'press', settable: true, retained: false }],
    ['read only', { kind: 'binary', access: 'read' }, { settable: false, retained: true }],
    ['write only', { kind: 'number', access: 'write' }, { settable: true, retained: false }],
  ])('%s', (_what, c, expected) => {
    const p = propertyFor(cap(c));
    expect(p).toMatchObject({ name: 'X', ...expected });
    if (!('format' in expected)) expect(p.format).toBeUndefined();
  });
});

describe('formats', () => {
  it('writes floats without "+" (the convention allows digits, "-", "." and "e")', () => {
    expect(formatFloat(1e21)).toBe('1e21');
    expect(formatFloat(-2.5e-7)).toBe('-2.5e-7');
    expect(formatFloat(21.5)).toBe('21.5');
  });

  it('refuses enum options it cannot list: commas, duplicates', () => {
    expect(enumFormat(['a', 'b'])).toBe('a,b');
    expect(enumFormat(['a', 'a'])).toBeUndefined();
    expect(enumFormat(['a,b'])).toBeUndefined();
  });
});
