import { homieValueValid } from '@mg/test-helpers';
import type { PropertyDescription } from './property.js';
import { EMPTY_STRING, formatValue, parseValue } from './values.js';

const prop = (datatype: PropertyDescription['datatype'], format?: string): PropertyDescription => ({ name: 'p', datatype, ...(format ? { format } : {}) });

describe('formatValue: what is published on a property topic', () => {
  it.each<[PropertyDescription, boolean | number | string, string]>([
    [prop('boolean'), true, 'true'],
    [prop('boolean'), false, 'false'],
    [prop('integer', '0:100:1'), 42, '42'],
    [prop('integer', '0:100:5'), 42, '40'], // rounded to the step, from min
    [prop('float', '-10:10:0.5'), 0.30000000000000004, '0.5'],
    [prop('float'), 1e21, '1e21'],
    [prop('float', '0:1'), 0.1, '0.1'],
    [prop('enum', 'eco,normal,boost'), 'boost', 'boost'],
    [prop('string'), 'hello', 'hello'],
    [prop('string'), '', EMPTY_STRING],
  ])('%j with %j gives %j, valid for node-homie', (p, value, payload) => {
    expect(formatValue(p, value)).toEqual({ ok: true, payload });
    expect(homieValueValid(payload, p.datatype, p.format)).toBe(true);
  });

  it.each<[PropertyDescription, boolean | number | string, string]>([
    [prop('boolean'), 'on', 'expects a boolean, got "on"'],
    [prop('integer', '0:100:1'), 101, '101 is outside 0:100'],
    [prop('float'), Number.NaN, 'expects a number, got null'],
    [prop('enum', 'eco,normal'), 'turbo', '"turbo" is not one of eco,normal'],
  ])('refuses %j with %j: %s', (p, value, reason) => {
    expect(formatValue(p, value)).toEqual({ ok: false, reason });
  });
});

describe('parseValue: what a /set payload asks for', () => {
  it.each<[PropertyDescription, string, boolean | number | string]>([
    [prop('boolean'), 'true', true],
    [prop('boolean'), 'false', false],
    [prop('integer', '0:100:1'), '-0', 0],
    [prop('integer', '0:100:1'), '100', 100],
    [prop('integer', '0:100:10'), '44', 40],
    [prop('float', '-10:10:0.5'), '2.3', 2.5],
    [prop('float', '-10:10:0.5'), '-1e0', -1],
    [prop('float'), '.5', 0.5],
    [prop('enum', 'eco,normal'), 'eco', 'eco'],
    [prop('enum', 'press'), 'press', 'press'],
    [prop('string'), 'hi there', 'hi there'],
    [prop('string'), EMPTY_STRING, ''],
  ])('%j takes %j as %j', (p, payload, value) => {
    expect(parseValue(p, payload)).toEqual({ ok: true, value });
  });

  it.each<[PropertyDescription, string]>([
    [prop('boolean'), 'TRUE'],
    [prop('boolean'), ''],
    [prop('integer', '0:100:1'), '1.5'],
    [prop('integer', '0:100:1'), '101'],
    [prop('integer'), '-'],
    [prop('float'), 'NaN'],
    [prop('float'), 'Infinity'],
    [prop('float'), '1,5'],
    [prop('float', '0:10'), '10.5'],
    [prop('enum', 'eco,normal'), 'Eco'],
    [prop('enum', 'eco,normal'), ''],
  ])('%j refuses %j', (p, payload) => {
    const r = parseValue(p, payload);
    expect(r.ok).toBe(false);
    expect(homieValueValid(payload, p.datatype, p.format)).toBe(false); // node-homie agrees
  });

  it('refuses spaces around a number, as the convention says (node-homie lets " 1" pass)', () => {
    expect(parseValue(prop('float'), ' 1').ok).toBe(false);
    expect(homieValueValid(' 1', 'float')).toBe(true);
  });
});
