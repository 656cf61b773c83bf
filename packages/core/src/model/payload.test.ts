import { buildPayload, parsePayload } from './payload.js';
import { toArguments } from './message.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('parsePayload', () => {
  it.each<[string, string, object]>([
    ['plain action', 'light_on', {}],
    ['trimmed plain action', '  light_on\n', {}],
    ['JSON object', '{"action":"light_on","level":50}', { level: 50 }],
    [
      'JSON types kept',
      '{"action":"x","n":1.5,"b":true,"z":null,"a":[1,"s"],"o":{"k":"v"},"s":"t"}',
      { n: 1.5, b: true, z: null, a: [1, 's'], o: { k: 'v' }, s: 't' },
    ],
    ['empty action in JSON', '{"action":"","level":1}', { level: 1 }],
    ['non-ASCII', '{"action":"lumière","pièce":"salle à manger"}', { pièce: 'salle à manger' }],
  ])('%s', (_name, text, args) => {
    const r = parsePayload(utf8(text));
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.action).toBe(text.trim().startsWith('{') ? JSON.parse(text).action : text.trim());
    expect({ ...r.value.arguments }).toEqual(args);
  });

  it('keeps __proto__ and constructor as plain argument keys without touching any prototype', () => {
    const r = parsePayload(utf8('{"action":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'));
    if (!r.ok) throw new Error(r.detail);
    expect(Object.keys(r.value.arguments).sort()).toEqual(['__proto__', 'constructor']);
    // Nothing inherited from Object.prototype: no __proto__ setter, no toString.
    expect(r.value.arguments instanceof Object).toBe(false);
    expect('toString' in r.value.arguments).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes a string correlation out of the arguments', () => {
    const r = parsePayload('{"action":"x","correlation":"req-7","level":2}');
    expect(r.ok && r.value).toMatchObject({ correlation: 'req-7' });
    expect(r.ok && { ...r.value.arguments }).toEqual({ level: 2 });
  });

  it.each<[string, Uint8Array | string, string]>([
    ['empty', utf8(''), 'payload-empty'],
    ['blank', utf8(' \n'), 'payload-empty'],
    ['invalid UTF-8', Buffer.from([0x6c, 0xff, 0xfe, 0x6f]), 'payload-encoding'],
    ['truncated UTF-8', Buffer.from([0xc3]), 'payload-encoding'],
    ['broken JSON', utf8('{"action": '), 'payload-json'],
    ['JSON that is not an object', utf8('{"a":1} trailing'), 'payload-json'],
    ['JSON without action', utf8('{"level": 5}'), 'payload-no-action'],
    ['JSON with a numeric action', utf8('{"action": 5}'), 'payload-no-action'],
    ['JSON with a null action', utf8('{"action": null}'), 'payload-no-action'],
  ])('rejects %s', (_name, payload, reason) => {
    const r = parsePayload(payload);
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });

  it('takes a payload that holds U+FFFD itself, validly encoded, and refuses invalid bytes in a non-ASCII text', () => {
    const r = parsePayload(utf8('{"action":"say","text":"\uFFFD é"}'));
    expect(r.ok && r.value.arguments.text).toBe('\uFFFD é');
    const invalid = Buffer.concat([utf8('{"action":"say","text":"é'), Buffer.from([0xff]), utf8('"}')]);
    expect(parsePayload(invalid)).toMatchObject({ ok: false, reason: 'payload-encoding' });
  });

  it('reads a JSON array or a number as a plain action (only "{" announces JSON)', () => {
    const r = parsePayload('[1,2]');
    expect(r.ok && r.value.action).toBe('[1,2]');
  });
});

describe('buildPayload', () => {
  it.each<[string, Record<string, unknown>, string | undefined, string]>([
    ['light_on', {}, undefined, 'light_on'],
    ['light_on', { level: 50 }, undefined, '{"action":"light_on","level":50}'],
    ['', { level: 50 }, undefined, '{"level":50}'],
    ['x', { b: false, z: null, a: [1], o: { k: 'v' } }, undefined, '{"action":"x","b":false,"z":null,"a":[1],"o":{"k":"v"}}'],
    ['x', {}, 'req-1', '{"action":"x","correlation":"req-1"}'],
    ['x', { __proto__: { polluted: 1 } }, undefined, 'x'],
  ])('%j %j -> %s', (action, args, correlation, expected) => {
    expect(buildPayload(action, toArguments(args), correlation)).toEqual({ ok: true, value: expected });
  });

  it('writes an own __proto__ argument as a key', () => {
    const args = toArguments(JSON.parse('{"__proto__": 1}'));
    expect(buildPayload('x', args)).toEqual({ ok: true, value: '{"action":"x","__proto__":1}' });
  });

  it('refuses a message with neither action nor arguments', () => {
    const r = buildPayload('', toArguments({}));
    expect(r.ok ? 'built' : r.reason).toBe('empty-message');
  });
});

describe('buildPayload and parsePayload', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['x', { level: 5, s: 'é"\\', o: { a: [1, null] } }, undefined],
    ['x', {}, 'req-1'],
    ['x', { n: 1 }, 'c"2'],
    ['x', { action: 'other', correlation: 'arg' }, 'req-3'],
    ['x', JSON.parse('{"__proto__":1,"constructor":2}') as Record<string, unknown>, undefined],
  ])('round-trips action %j with %j and correlation %j', (action, args, correlation) => {
    const built = buildPayload(action, toArguments(args), correlation);
    if (!built.ok) throw new Error(built.detail);
    const back = parsePayload(built.value);
    if (!back.ok) throw new Error(back.detail);
    const expected = JSON.parse(built.value) as Record<string, unknown>;
    expect(back.value.action).toBe(expected.action ?? (built.value.startsWith('{') ? undefined : built.value));
    expect(back.value.correlation).toBe(correlation);
    const { action: _a, correlation: _c, ...rest } = expected;
    expect({ ...back.value.arguments }).toEqual(rest);
  });
});
