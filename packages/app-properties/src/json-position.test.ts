import { jsonErrorOffset } from './json-position.js';

describe('jsonErrorOffset', () => {
  it.each(['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}', ' 1 ', '"s"', '{"a":{"b":{}}}'])('finds no error in valid JSON %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonErrorOffset(text)).toBe(-1);
  });

  it.each<[string, number]>([
    ['', 0],
    ['{', 1],
    ['{"a": oops}', 6],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1 2]', 3],
    ['{"a": 1} x', 9],
    ['{"a": "\x01"}', 7],
    ['{"a": "\\q"}', 8],
    ["{'a': 1}", 1],
    ['[01]', 2],
    ['{"a": tru}', 9],
  ])('finds the error in %j at %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
