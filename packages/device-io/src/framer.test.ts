import { DeviceOptionError } from './errors.js';
import { Framer, type FramingOptions, type OverflowInfo } from './framer.js';

function framer(options: FramingOptions = {}, encoding: 'latin1' | 'utf8' | 'ascii' = 'latin1') {
  const lines: string[] = [];
  const overflows: OverflowInfo[] = [];
  const f = new Framer(options, encoding, { frame: (b) => lines.push(b.toString(encoding)), overflow: (o) => overflows.push(o) });
  const push = (...chunks: (string | Buffer)[]) => chunks.forEach((c) => f.push(typeof c === 'string' ? Buffer.from(c, encoding) : c));
  return { f, lines, overflows, push };
}

describe('Framer, terminators', () => {
  it('cuts lines on one terminator, keeping a partial line for the next read', () => {
    const { lines, push, f } = framer({ terminator: '\r' });
    push('PWON\rMV4', '5\rSI');
    expect(lines).toEqual(['PWON', 'MV45']);
    expect(f.buffered).toBe(2);
    push('TUNER\r');
    expect(lines).toEqual(['PWON', 'MV45', 'SITUNER']);
  });

  it('ends lines on any of several terminators, the longer one winning at the same place', () => {
    const { lines, push } = framer();
    push('a\r\nb\rc\nd\r\n');
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps \\r\\n one terminator when it is split across two reads, even with empty lines kept', () => {
    const { lines, push } = framer({ terminator: ['\r\n', '\r'], skipEmpty: false });
    push('one\r', '\ntwo\r', '\n', '\r\n');
    expect(lines).toEqual(['one', 'two', '']);
  });

  it('finds a multi-byte terminator split across reads, byte by byte', () => {
    const { lines, push } = framer({ terminator: '<END>' });
    push(...'abc<END>de<E'.split(''), 'N', 'D>');
    expect(lines).toEqual(['abc', 'de']);
  });

  it('drops empty lines by default, keeps them on request', () => {
    expect(framer().lines).toEqual([]);
    const dropped = framer({ terminator: '\n' });
    dropped.push('\n\na\n\n');
    expect(dropped.lines).toEqual(['a']);
    const kept = framer({ terminator: '\n', skipEmpty: false });
    kept.push('\n\na\n');
    expect(kept.lines).toEqual(['', '', 'a']);
  });

  it('drops an over-long line up to its terminator, reports it once, never holds more than the limit', () => {
    const { lines, overflows, push, f } = framer({ terminator: '\r\n', maxLineBytes: 10 });
    push('ok\r\n', 'x'.repeat(8));
    for (let i = 0; i < 100; i++) {
      push('y'.repeat(1000));
      expect(f.buffered).toBeLessThanOrEqual(11);
    }
    push('\r', '\nafter\r\n');
    expect(lines).toEqual(['ok', 'after']);
    expect(overflows).toEqual([{ maxLineBytes: 10, head: `${'x'.repeat(8)}${'y'.repeat(24)}` }]);
  });

  it('drops a line one byte too long that arrives whole, and keeps one exactly at the limit', () => {
    const { lines, overflows, push } = framer({ terminator: '\r', maxLineBytes: 4 });
    push('abcd\rabcde\rxy\r');
    expect(lines).toEqual(['abcd', 'xy']);
    expect(overflows.map((o) => o.head)).toEqual(['abcde']);
  });

  it('decodes with the encoding only whole lines, so a UTF-8 character split across reads survives', () => {
    const { lines, push } = framer({ terminator: '\n' }, 'utf8');
    const bytes = Buffer.from('température 21°\n', 'utf8');
    push(bytes.subarray(0, 3), bytes.subarray(3, 15), bytes.subarray(15));
    expect(lines).toEqual(['température 21°']);
  });

  it('forgets a partial line on reset', () => {
    const { lines, push, f } = framer({ terminator: '\r' });
    push('half');
    f.reset();
    push('whole\r');
    expect(lines).toEqual(['whole']);
  });

  it('refuses terminators and limits that cannot work', () => {
    const sinks = { frame: () => undefined, overflow: () => undefined };
    expect(() => new Framer({ terminator: '' }, 'latin1', sinks)).toThrow(DeviceOptionError);
    expect(() => new Framer({ terminator: [] }, 'latin1', sinks)).toThrow(/non-empty string/);
    expect(() => new Framer({ maxLineBytes: 0 }, 'latin1', sinks)).toThrow(/maxLineBytes/);
    expect(() => new Framer({ length: 0 }, 'latin1', sinks)).toThrow(/length/);
  });
});

describe('Framer, fixed length', () => {
  it('cuts frames of N bytes whatever the reads', () => {
    const { lines, push, f } = framer({ length: 4 });
    push('AB', 'CDEF', 'GH\r\nIJ');
    expect(lines).toEqual(['ABCD', 'EFGH', '\r\nIJ']);
    expect(f.buffered).toBe(0);
    push('K');
    expect(f.buffered).toBe(1);
  });
});
