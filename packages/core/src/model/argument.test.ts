import type { JsonValue } from './json.js';
import { InternalMessage, MessageError } from './message.js';

const msg = (args: Record<string, JsonValue>) => new InternalMessage({ isCmd: true, action: 'VOL_SET', arguments: args });
const error = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof MessageError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

describe('msg.argument with a type', () => {
  it('coerces numbers from JSON numbers and numeric strings, within bounds', () => {
    expect(msg({ level: 45 }).argument('level', { type: 'number', min: 0, max: 98 })).toBe(45);
    expect(msg({ level: '45.5' }).argument('level', { type: 'number' })).toBe(45.5);
    expect(error(() => msg({ level: 'loud' }).argument('level', { type: 'number', min: 0, max: 98 }))).toBe(
      'ARGUMENT_INVALID: argument "level" must be a number between 0 and 98, got "loud"',
    );
    expect(error(() => msg({ level: 120 }).argument('level', { type: 'number', max: 98 }))).toBe(
      'ARGUMENT_INVALID: argument "level" must be a number of at most 98, got 120',
    );
    expect(error(() => msg({ level: 4.5 }).argument('level', { type: 'integer' }))).toBe('ARGUMENT_INVALID: argument "level" must be a whole number, got 4.5');
    expect(error(() => msg({ level: '' }).argument('level', { type: 'number' }))).toMatch(/must be a number/);
  });

  it('reads booleans, strings and enums', () => {
    expect(msg({ on: 'ON' }).argument('on', { type: 'boolean' })).toBe(true);
    expect(msg({ on: 0 }).argument('on', { type: 'boolean' })).toBe(false);
    expect(error(() => msg({ on: 'maybe' }).argument('on', { type: 'boolean' }))).toBe(
      'ARGUMENT_INVALID: argument "on" must be true or false (on/off, yes/no, 1/0), got "maybe"',
    );
    expect(msg({ name: 7 }).argument('name', { type: 'string' })).toBe('7');
    expect(error(() => msg({ name: { a: 1 } }).argument('name', { type: 'string' }))).toBe('ARGUMENT_INVALID: argument "name" must be a string, got {"a":1}');
    expect(msg({ source: 'tuner' }).argument('source', { type: 'enum', values: ['CD', 'TUNER'] })).toBe('TUNER');
    expect(error(() => msg({ source: 'radio' }).argument('source', { type: 'enum', values: ['CD', 'TUNER'] }))).toBe(
      'ARGUMENT_INVALID: argument "source" must be one of CD, TUNER, got "radio"',
    );
  });

  it('says a required argument is missing in words for the sender, and keeps defaults', () => {
    expect(error(() => msg({}).argument('level', { type: 'number', required: true }))).toBe('ARGUMENT_MISSING: argument "level" is missing');
    expect(msg({}).argument('level', { type: 'number', default: 20 })).toBe(20);
    const long = 'x'.repeat(100);
    expect(error(() => msg({ level: long }).argument('level', { type: 'number' }))).toBe(
      `ARGUMENT_INVALID: argument "level" must be a number, got "${'x'.repeat(39)}...`,
    );
  });
});
