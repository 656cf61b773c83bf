import { TokenMap } from './token-map.js';

const map = { Kitchen: ['kitchen', 'cuisine', 'küche'], DiningRm: ['dining_room'], '': [''] };

describe('TokenMap', () => {
  // [type, direction, token, expected]
  it.each<['none' | 'loose' | 'strict', 'toInternal' | 'toMqtt', string, string | undefined]>([
    ['none', 'toInternal', 'kitchen', 'kitchen'],
    ['none', 'toMqtt', 'Kitchen', 'Kitchen'],
    ['none', 'toInternal', 'anything', 'anything'],
    ['loose', 'toInternal', 'kitchen', 'Kitchen'],
    ['loose', 'toInternal', 'cuisine', 'Kitchen'],
    ['loose', 'toInternal', 'küche', 'Kitchen'],
    ['loose', 'toInternal', 'garage', 'garage'],
    ['loose', 'toMqtt', 'Kitchen', 'kitchen'],
    ['loose', 'toMqtt', 'Garage', 'Garage'],
    ['loose', 'toInternal', '', ''],
    ['strict', 'toInternal', 'dining_room', 'DiningRm'],
    ['strict', 'toInternal', 'cuisine', 'Kitchen'],
    ['strict', 'toInternal', 'garage', undefined],
    ['strict', 'toInternal', 'Kitchen', undefined],
    ['strict', 'toMqtt', 'Kitchen', 'kitchen'],
    ['strict', 'toMqtt', 'kitchen', undefined],
    ['strict', 'toInternal', '', ''],
    ['strict', 'toMqtt', '', ''],
  ])('%s %s %j -> %j', (type, direction, token, expected) => {
    expect(new TokenMap(type, map)[direction](token)).toBe(expected);
  });

  it('passes the empty token as empty in a strict map that does not list it', () => {
    const strict = new TokenMap('strict', { A: ['a'] });
    expect(strict.toInternal('')).toBe('');
    expect(strict.toMqtt('')).toBe('');
  });

  it('maps the empty token when the map says so', () => {
    const strict = new TokenMap('strict', { Any: [''] });
    expect(strict.toInternal('')).toBe('Any');
    expect(strict.toMqtt('Any')).toBe('');
  });

  it('treats names of Object.prototype as ordinary tokens', () => {
    const strict = new TokenMap('strict', { A: ['a'] });
    expect(strict.toInternal('constructor')).toBeUndefined();
    expect(strict.toInternal('__proto__')).toBeUndefined();
    expect(new TokenMap('loose', { A: ['a'] }).toInternal('toString')).toBe('toString');
  });
});
