import { ROOT, commandTopic } from './probe.js';

/** One message for the gateway: malformed (to be refused or harmlessly passed) or a valid command. */
export interface FuzzMessage {
  topic: string;
  payload: Buffer;
  /** Set on valid commands: the id the interface must receive. */
  validId?: string;
  kind: string;
}

/** A small seeded generator (mulberry32): the same seed gives the same run, so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVEL_CHARS = ['a', 'z', '0', ' ', '.', '%2F', '$', 'é', '日', '🙂', '\\', '"', '{', '}', '..', '', 'office', 'dummy', 'lighting', 'C', 'S'];
const JUNK_JSON = [
  '[1,2,3]',
  '42',
  '-0.5e300',
  '"just a string"',
  'null',
  'true',
  '{}',
  '{"action":5}',
  '{"action":null}',
  '{"action":["x"]}',
  '{"action":{"a":1}}',
  '{"action":',
  '{"action":"light_on",}',
  '{ "action" : "light_on" ',
  '{"a":"\\ud800"}',
];

/**
 * The fuzz run: `malformed` bad messages of many kinds with a valid command after every
 * `validEvery`, deterministic for a seed.
 */
export function fuzzMessages(malformed: number, validEvery: number, seed: number): FuzzMessage[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const level = () => Array.from({ length: int(4) }, () => pick(LEVEL_CHARS)).join('');
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const cmd = (device: string) => commandTopic(device);
  const kinds: Array<[string, (i: number) => Omit<FuzzMessage, 'kind'>]> = [
    [
      'wrong level count',
      () => ({ topic: [ROOT, ...Array.from({ length: pick([0, 1, 2, 3, 4, 6, 7, 9, 20]) }, level)].join('/'), payload: Buffer.from('light_on') }),
    ],
    [
      'other root',
      () => ({
        topic: [pick(['home', 'testmqttgtwx', 'TESTMQTTGTW', '', ' testmqttgtw']), 'lighting', 'dummy', 'office', 'x', 's', 'C'].join('/'),
        payload: Buffer.from('light_on'),
      }),
    ],
    [
      'last level not C/S',
      () => ({ topic: [ROOT, 'lighting', 'dummy', 'office', 'x', 's', pick(['c', 'X', 'CS', '', 'C '])].join('/'), payload: Buffer.from('light_on') }),
    ],
    ['random levels', () => ({ topic: [ROOT, level(), level(), level(), level(), level(), pick(['C', 'S'])].join('/'), payload: Buffer.from(level() || 'x') })],
    [
      'invalid UTF-8',
      (i) => ({ topic: cmd(`u${i}`), payload: Buffer.concat([Buffer.from('light'), Buffer.from([pick([0xff, 0xc3, 0xed, 0xf8, 0x80])]), bytes(int(8))]) }),
    ],
    ['random bytes', (i) => ({ topic: cmd(`b${i}`), payload: bytes(1 + int(200)) })],
    ['empty payload', (i) => ({ topic: cmd(`e${i}`), payload: Buffer.alloc(0) })],
    ['JSON that is not an action', (i) => ({ topic: cmd(`j${i}`), payload: Buffer.from(pick(JUNK_JSON)) })],
    [
      'deep nesting',
      (i) => {
        // 100,000 levels (half a megabyte) once in a while; shallower ones often.
        const depth = i % 1_000 === 8 ? 100_000 : pick([10, 100, 1000, 5000]);
        const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
        return {
          topic: cmd(`n${i}`),
          payload: Buffer.from(pick([nested, `{"action":"light_on","a":${nested}}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`])),
        };
      },
    ],
    [
      '__proto__ / constructor keys',
      (i) => ({
        topic: cmd(`p${i}`),
        payload: Buffer.from(
          pick([
            '{"action":"light_on","__proto__":{"polluted":"yes"}}',
            '{"action":"light_on","constructor":{"prototype":{"polluted":"yes"}}}',
            '{"__proto__":{"action":"light_on","polluted":"yes"}}',
            '{"action":"__proto__"}',
            '{"action":"constructor","toString":"x","hasOwnProperty":1}',
          ]),
        ),
      }),
    ],
    [
      'strict-map miss',
      (i) =>
        pick([
          { topic: `${ROOT}/lighting/${pick(['nowhere', 'Dummy', '__proto__', 'constructor'])}/office/s${i}/suite/C`, payload: Buffer.from('light_on') },
          { topic: cmd(`s${i}`), payload: Buffer.from(pick(['unknown_action', 'LIGHT_ON ', 'toString', '__proto__'])) },
        ]),
    ],
    ['status from elsewhere', (i) => ({ topic: `${ROOT}/lighting/dummy/office/t${i}/other/S`, payload: Buffer.from('{"action":"light_on","response":"OK"}') })],
  ];
  const out: FuzzMessage[] = [];
  let valid = 0;
  for (let i = 0; i < malformed; i++) {
    // Every 5,000th malformed message is large: 1 MB (every 20,000th) or 100 kB.
    if (i % 5_000 === 4_999) {
      const size = i % 20_000 === 19_999 ? 1024 * 1024 : 100 * 1024;
      out.push({
        kind: 'large payload',
        topic: cmd(`big${i}`),
        payload: pick([bytes(size), Buffer.from(`{"action":"${'x'.repeat(size)}"}`), Buffer.alloc(size, 'a')]),
      });
    } else {
      const [kind, make] = kinds[i % kinds.length]!;
      out.push({ kind, ...make(i) });
    }
    if (i % validEvery === validEvery - 1) {
      const id = `v${valid++}`;
      out.push({ kind: 'valid', topic: cmd(id), payload: Buffer.from(pick(['light_on', '{"action":"light_off"}', ' light_on '])), validId: id });
    }
  }
  return out;
}
