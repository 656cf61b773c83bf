import { parseIni } from './ini-bridge.js';

function options(text: string, section = 'S') {
  const parsed = parseIni(text, 'test.conf');
  expect(parsed.problems).toEqual([]);
  return Object.fromEntries([...(parsed.sections.get(section)?.options ?? [])].map(([k, v]) => [k, v.value]));
}

describe('parseIni reads files the way configparser does', () => {
  it.each([
    ['key: value', 'value'],
    ['key = value', 'value'],
    ['key=value', 'value'],
    ['key:value', 'value'],
    ['key :   spaced out   ', 'spaced out'],
    ['key:', ''],
    ['key =', ''],
    ['key: a = b', 'a = b'],
    ['key = a: b', 'a: b'],
    ['key: 100%', '100%'],
    ['key: %(other)s', '%(other)s'],
    ['key: pa;ss#word', 'pa;ss#word'],
    ['key: "quoted"', '"quoted"'],
    ["key: 'single'", "'single'"],
    ['key: back\\slash', 'back\\slash'],
    ['key: true', 'true'],
    ['key: null', 'null'],
    ['key: [1, 2]', '[1, 2]'],
  ])('%s', (line, value) => {
    expect(options(`[S]\n${line}\n`)).toEqual({ key: value });
  });

  it('skips comment lines starting with # or ;, indented or not', () => {
    expect(options('# top\n[S]\n; c1\n  # c2\na: 1\n;b: 2\n')).toEqual({ a: '1' });
  });

  it('makes option names case-insensitive and keeps section names as written', () => {
    const parsed = parseIni('[MQTT]\nHost: h\nKeepAlive = 5\n', 'f');
    expect([...parsed.sections.keys()]).toEqual(['MQTT']);
    expect([...parsed.sections.get('MQTT')!.options.keys()]).toEqual(['host', 'keepalive']);
  });

  it('continues a value on indented lines', () => {
    expect(options('[S]\ntopics: a/#,\n  b/#\nnext: x\n')).toEqual({ topics: 'a/#,\nb/#', next: 'x' });
  });

  it('keeps dotted section names whole (ini would nest them)', () => {
    const parsed = parseIni('[a.b]\nx: 1\n[a]\ny: 2\n', 'f');
    expect(parsed.sections.get('a.b')!.options.get('x')!.value).toBe('1');
    expect(parsed.sections.get('a')!.options.get('y')!.value).toBe('2');
  });

  it('records the line of each section and option', () => {
    const parsed = parseIni('# c\n\n[S]\n\nport: 1\n', 'f');
    expect(parsed.sections.get('S')!.line).toBe(3);
    expect(parsed.sections.get('S')!.options.get('port')!.line).toBe(5);
  });

  it('reads CRLF files and a byte-order mark', () => {
    expect(options('\uFEFF[S]\r\na: 1\r\nb: 2\r\n')).toEqual({ a: '1', b: '2' });
  });

  it('reports lines that are not options, options before any section, duplicates', () => {
    const parsed = parseIni('orphan: 1\n[S]\njust words\na: 1\nA: 2\n[S]\n', 'my.conf');
    expect(parsed.problems.map((p) => [p.line, p.expected])).toEqual([
      [1, 'a [SECTION] header before the first option'],
      [3, '"option = value" or "option: value", found "just words"'],
      [5, 'each option only once per section (first set on line 4)'],
      [6, 'each section only once (it already appears above)'],
    ]);
    expect(parsed.problems.every((p) => p.file === 'my.conf')).toBe(true);
  });
});
