import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InternalMessage } from './message.js';
import { MapError } from './map-errors.js';
import { MessageMap } from './message-map.js';
import type { MapType } from './token-map.js';
import { DUMMY_MAP_PATH } from '../test-support/fixtures.js';

const dummy = () => MessageMap.fromFile(DUMMY_MAP_PATH, { gatewayName: 'dummy2mqtt' });

function inbound(map: MessageMap, topic: string, payload: string) {
  const r = map.toInternal(topic, Buffer.from(payload));
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.value;
}

describe('MessageMap with the dummy map', () => {
  it('maps an incoming command through loose, strict and none maps', () => {
    const msg = inbound(dummy(), 'testmqttgtw/audiovideo/dummy/office/amp/tester/C', 'mute_toggle');
    expect({ ...msg, arguments: { ...msg.arguments } }).toMatchObject({
      isCmd: true,
      function: 'AudioVideo',
      gateway: 'Dummy',
      location: 'Office',
      device: 'amp',
      sender: 'tester',
      action: 'MUTE_TGL',
      arguments: {},
    });
  });

  it('publishes the periodic dummy command on the documented topic', () => {
    const r = dummy().toMqtt(new InternalMessage({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON' }));
    expect(r).toEqual({ ok: true, value: { topic: 'testmqttgtw/dummyfunction//office//dummy2mqtt/C', payload: 'mute_on' } });
  });

  it('passes unknown tokens of loose maps and refuses unknown tokens of strict maps', () => {
    const map = dummy();
    expect(inbound(map, 'testmqttgtw/heating/dummy/garage/x/y/C', 'light_on')).toMatchObject({ function: 'heating', location: 'garage', action: 'LIGHT_ON' });
    const gw = map.toInternal('testmqttgtw/lighting/other/office/x/y/C', 'light_on');
    expect(!gw.ok && [gw.reason, gw.detail]).toEqual([
      'strict-miss',
      'gateway "other" is not in the strict map (message on "testmqttgtw/lighting/other/office/x/y/C")',
    ]);
    const action = map.toInternal('testmqttgtw/lighting/dummy/office/x/y/C', 'explode');
    expect(!action.ok && action.detail).toMatch(/^action "explode" is not in the strict map/);
    const out = map.toMqtt(new InternalMessage({ action: 'EXPLODE' }));
    expect(!out.ok && out.reason).toBe('strict-miss');
  });

  it('drops its own messages as echoes', () => {
    const r = dummy().toInternal('testmqttgtw/dummyfunction//office//dummy2mqtt/C', 'mute_on');
    expect(!r.ok && r.reason).toBe('echo');
  });

  it('keeps JSON argument types and correlation through both directions', () => {
    const map = dummy();
    const msg = inbound(
      map,
      'testmqttgtw/lighting/dummy/kitchen/lamp/app/C',
      '{"action":"light_on","level":50,"fade":true,"scene":{"n":[1,2]},"correlation":"r1"}',
    );
    expect(msg.action).toBe('LIGHT_ON');
    expect({ ...msg.arguments }).toEqual({ level: 50, fade: true, scene: { n: [1, 2] } });
    expect(msg.correlation).toBe('r1');
    const out = map.toMqtt(msg.reply('OK', 'done'));
    expect(out).toEqual({
      ok: true,
      value: {
        topic: 'testmqttgtw/lighting/dummy/kitchen/lamp/dummy2mqtt/S',
        payload: '{"action":"light_on","response":"OK","reason":"done","correlation":"r1"}',
        correlation: 'r1',
      },
    });
  });

  it('takes the MQTT 5 correlation data over the payload', () => {
    const r = dummy().toInternal('testmqttgtw/lighting/dummy/kitchen/lamp/app/C', '{"action":"light_on","correlation":"payload"}', 'v5');
    expect(r.ok && r.value.correlation).toBe('v5');
  });

  it('refuses to publish a token that would inject topic levels', () => {
    const r = dummy().toMqtt(new InternalMessage({ function: 'Lighting', device: 'lamp/#', action: 'LIGHT_ON' }));
    expect(!r.ok && r.reason).toBe('bad-token');
  });
});

describe('argument maps', () => {
  const map = MessageMap.fromObject({
    root: 'home',
    topics: ['home/#'],
    argkey: { maptype: 'strict', map: { level: ['lvl', 'niveau'], mode: ['mode'] } },
    argvalue: { maptype: 'loose', map: { HIGH: ['high'], LOW: ['low'] } },
  });

  it('maps keys and string values, leaves other types alone', () => {
    const msg = inbound(map, 'home/f/g/l/d/s/C', '{"action":"a","niveau":"high","mode":3}');
    expect({ ...msg.arguments }).toEqual({ level: 'HIGH', mode: 3 });
    const out = map.toMqtt(new InternalMessage({ action: 'a', arguments: { level: 'LOW', mode: 'eco' } }));
    expect(out.ok && out.value.payload).toBe('{"action":"a","lvl":"low","mode":"eco"}');
  });

  it('refuses an unknown key of a strict key map', () => {
    const r = map.toInternal('home/f/g/l/d/s/C', '{"action":"a","colour":"red"}');
    expect(!r.ok && r.detail).toMatch(/^argkey "colour" is not in the strict map/);
  });
});

describe('multi-level roots and passthrough', () => {
  it('works with a root of several levels', () => {
    const map = MessageMap.passthrough('home/ground', ['home/ground/#'], { gatewayName: 'gw' });
    const msg = inbound(map, 'home/ground/lighting//kitchen/lamp/app/C', 'on');
    expect(msg).toMatchObject({ function: 'lighting', location: 'kitchen', action: 'on' });
    expect(map.toMqtt(msg.reply('OK', '')).ok && map.toMqtt(msg.reply('OK', ''))).toMatchObject({
      value: { topic: 'home/ground/lighting//kitchen/lamp/gw/S' },
    });
    expect(map.topics).toEqual(['home/ground/#']);
  });
});

describe('map validation', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mg-map-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const invalid = (data: unknown) => {
    try {
      MessageMap.fromObject(data, 'map file m.json');
    } catch (err) {
      expect(err).toBeInstanceOf(MapError);
      return (err as MapError).message;
    }
    throw new Error('map accepted');
  };

  it.each<[string, unknown, string]>([
    [
      'a bad maptype',
      { root: 'r', topics: [], action: { maptype: 'strictt' } },
      '$.action.maptype: Invalid option: expected one of "none"|"loose"|"strict" (found "strictt")',
    ],
    ['a strict map without map', { root: 'r', topics: [], location: { maptype: 'strict' } }, '$.location.map: is required when maptype is "strict"'],
    ['a loose map without map', { root: 'r', topics: [], device: { maptype: 'loose' } }, '$.device.map: is required when maptype is "loose"'],
    ['an empty alias list', { root: 'r', topics: [], action: { maptype: 'loose', map: { ON: [] } } }, '$.action.map.ON: lists at least one MQTT keyword'],
    [
      'an ambiguous keyword',
      { root: 'r', topics: [], location: { maptype: 'loose', map: { A: ['x'], 'B b': ['y', 'x'] } } },
      '$.location.map["B b"][1]: MQTT keyword "x" is also listed under "A": it would be ambiguous',
    ],
    [
      'a keyword that is not a topic level',
      { root: 'r', topics: [], device: { maptype: 'loose', map: { A: ['a/b'] } } },
      '$.device.map.A[0]: MQTT keyword "a/b" contains "/"',
    ],
    ['a misspelt characteristic', { root: 'r', topics: [], locaton: { maptype: 'none' } }, '$: unknown key "locaton"; did you mean "location"?'],
    ['a missing root', { topics: [] }, '$.root: is missing (expected string)'],
    ['a root with a wildcard', { root: 'home/#', topics: [] }, '$.root: must be topic levels'],
    ['topics that are not a list', { root: 'r', topics: 'r/#' }, '$.topics: Invalid input: expected array, received string (found "r/#")'],
    ['not an object', [1, 2], '$: Invalid input: expected object, received array'],
  ])('rejects %s, naming the JSON path', (_name, data, line) => {
    const message = invalid(data);
    expect(message.startsWith('map file m.json is not a valid map:\n  ')).toBe(true);
    expect(message).toContain(line);
  });

  it('accepts the same keyword twice under the same internal keyword, and left-out characteristics', () => {
    const map = MessageMap.fromObject({ root: 'r', topics: ['r/#'], action: { maptype: 'strict', map: { ON: ['on', 'on'] } } });
    expect(map.describe()).toEqual({
      function: 'none',
      gateway: 'none',
      location: 'none',
      device: 'none',
      sender: 'none',
      action: 'strict',
      argkey: 'none',
      argvalue: 'none',
    });
  });

  it('names a missing file and the line and column of broken JSON', () => {
    expect(() => MessageMap.fromFile(join(dir, 'nope.json'))).toThrow(`map file ${join(dir, 'nope.json')} does not exist`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "root": "r",\n  "topics": [,]\n}\n');
    expect(() => MessageMap.fromFile(broken)).toThrow(new RegExp(`map file ${broken}:3:14 is not valid JSON`));
    try {
      MessageMap.fromFile(broken);
    } catch (err) {
      expect((err as MapError).code).toBe('MAP_UNREADABLE');
    }
  });
});

describe('round trip (property-based)', () => {
  // Tokens that can be topic levels; keywords drawn from a small alphabet so maps get hits.
  const token = fc.stringMatching(/^[a-z_]{0,6}$/);
  const mapType = fc.constantFrom<MapType>('none', 'loose', 'strict');

  it('internal -> MQTT -> internal is the identity under every map type', () => {
    fc.assert(
      fc.property(
        fc.record({ fn: mapType, loc: mapType, act: mapType, argv: mapType }),
        fc.uniqueArray(
          token.filter((t) => t !== ''),
          { minLength: 1, maxLength: 5 },
        ),
        fc.record({ fn: token, gw: token, loc: token, dev: token, sender: token.filter((s) => s !== 'self'), act: token, isCmd: fc.boolean() }),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.oneof(token, fc.integer(), fc.boolean(), fc.constant(null))),
        (types, words, t, args) => {
          // Each internal keyword `W` maps to MQTT `w` and an alias `w_alias`.
          const keywordMap = Object.fromEntries(words.map((w) => [w.toUpperCase(), [w, `${w}_alias`]]));
          const spec = (maptype: MapType) => (maptype === 'none' ? { maptype } : { maptype, map: keywordMap });
          const map = MessageMap.fromObject(
            { root: 'r/s', topics: ['r/s/#'], function: spec(types.fn), location: spec(types.loc), action: spec(types.act), argvalue: spec(types.argv) },
            'generated',
            { gatewayName: 'self' },
          );
          // Internal tokens that a strict map knows: pick from the keywords when strict.
          const internal = (type: MapType, raw: string) => (type === 'strict' && raw !== '' ? (words[raw.length % words.length] ?? '').toUpperCase() : raw);
          const msg = new InternalMessage({
            isCmd: t.isCmd,
            function: internal(types.fn, t.fn),
            gateway: t.gw,
            location: internal(types.loc, t.loc),
            device: t.dev,
            sender: t.sender,
            action: internal(types.act, t.act || 'x'),
            arguments: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? internal(types.argv, v) : v])),
          });
          // Loose maps are the identity only for tokens that do not collide with an MQTT keyword.
          const looseClash = (type: MapType, v: string) => type === 'loose' && words.some((w) => v === w || v === `${w}_alias`);
          fc.pre(
            ![
              [types.fn, msg.function],
              [types.loc, msg.location],
              [types.act, msg.action],
            ].some(([ty, v]) => looseClash(ty as MapType, v as string)),
          );
          fc.pre(!Object.values(msg.arguments).some((v) => typeof v === 'string' && looseClash(types.argv, v)));
          if (msg.sender === '') msg.sender = 'other';
          const out = map.toMqtt(msg);
          if (!out.ok) throw new Error(out.detail);
          const back = map.toInternal(out.value.topic, Buffer.from(out.value.payload));
          if (!back.ok) throw new Error(back.detail);
          expect({ ...back.value, arguments: { ...back.value.arguments } }).toEqual({ ...msg, arguments: { ...msg.arguments } });
        },
      ),
      { numRuns: 500 },
    );
  });
});
