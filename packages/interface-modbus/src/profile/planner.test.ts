import { ModbusError } from '../errors.js';
import { compileModbusProfile } from './load.js';
import { decodeBatch, planReads, splitBatch } from './planner.js';
import type { ModbusPoint, ReadBatch } from './types.js';

/** Points from [id, address, type?] (addresses in register-number notation). */
function points(...defs: [string, string, string?][]): ModbusPoint[] {
  const list = defs.map(([id, address, type]) => ({
    id,
    address,
    ...(type && { type }),
    ...(type === 'string' && { length: 4 }),
    ...(type === 'bit' && { bit: 0 }),
  }));
  return [...compileModbusProfile({ name: 't', description: 'test', points: list }, 't.json').points];
}
const shape = (batches: ReadBatch[]) => batches.map((b) => [b.table, b.address, b.count, b.points.map((p) => p.id)]);

describe('planReads', () => {
  it('reads neighbours of one table in one request, in address order', () => {
    const list = points(['c', '30005', 'float32'], ['a', '30001', 'float32'], ['b', '30003', 'float32']);
    expect(shape(planReads(list, { maxGap: 0 }))).toEqual([['input', 0, 6, ['a', 'b', 'c']]]);
  });

  it('bridges gaps up to maxGap, and no more', () => {
    const list = points(['a', '30001', 'float32'], ['b', '30011', 'float32']); // 8 registers between
    expect(shape(planReads(list, { maxGap: 8 }))).toEqual([['input', 0, 12, ['a', 'b']]]);
    expect(shape(planReads(list, { maxGap: 7 }))).toEqual([
      ['input', 0, 2, ['a']],
      ['input', 10, 2, ['b']],
    ]);
  });

  it('never mixes tables', () => {
    const list = points(['h', '40001'], ['i', '30001'], ['c', '00001'], ['d', '10001'], ['i2', '30002']);
    expect(shape(planReads(list, { maxGap: 8 }))).toEqual([
      ['holding', 0, 1, ['h']],
      ['input', 0, 2, ['i', 'i2']],
      ['coil', 0, 1, ['c']],
      ['discrete', 0, 1, ['d']],
    ]);
  });

  it('keeps each read within 125 registers (or maxRegisters)', () => {
    const defs: [string, string, string][] = [];
    for (let i = 0; i < 100; i++) defs.push([`p${i}`, String(30001 + 2 * i), 'float32']);
    const batches = planReads(points(...defs), { maxGap: 8 });
    expect(batches.map((b) => [b.address, b.count, b.points.length])).toEqual([
      [0, 124, 62],
      [124, 76, 38],
    ]);
    expect(planReads(points(...defs.slice(0, 10)), { maxGap: 8, maxRegisters: 6 }).map((b) => b.count)).toEqual([6, 6, 6, 2]);
  });

  it('keeps each bit read within 2000 bits (or maxBits), with gaps in bits', () => {
    const defs: [string, string][] = [];
    for (let i = 0; i < 30; i++) defs.push([`c${i}`, `0${String(1 + 100 * i).padStart(4, '0')}`]);
    const list = points(...defs);
    expect(planReads(list, { maxGap: 8 }).map((b) => [b.address, b.count])).toEqual([
      [0, 1901],
      [2000, 901],
    ]);
    expect(planReads(list, { maxGap: 8, maxBitGap: 98 }).length).toBe(30);
    expect(planReads(list.slice(0, 4), { maxGap: 8, maxBits: 200 }).map((b) => [b.address, b.count])).toEqual([
      [0, 101],
      [200, 101],
    ]);
  });

  it('reads overlapping points (bits of one register, a value and its halves) once', () => {
    const list = points(['all', '40001', 'uint32'], ['low', '40002'], ['b0', '40001', 'bit']);
    const batches = planReads(
      list.map((p) => p),
      { maxGap: 0 },
    );
    expect(shape(batches)).toEqual([['holding', 0, 2, ['all', 'b0', 'low']]]);
  });

  it('reads a point larger than the limit alone, never split', () => {
    const list = points(['s', '40001', 'string'], ['n', '40005']);
    expect(shape(planReads(list, { maxGap: 0, maxRegisters: 2 }))).toEqual([
      ['holding', 0, 4, ['s']],
      ['holding', 4, 1, ['n']],
    ]);
  });

  it('gives nothing to read for no points', () => {
    expect(planReads([], { maxGap: 8 })).toEqual([]);
  });
});

describe('splitBatch', () => {
  it('halves a refused batch, each half over its own points', () => {
    const list = points(['a', '30001', 'float32'], ['b', '30003', 'float32'], ['c', '30011', 'float32'], ['d', '30013', 'float32']);
    const [batch] = planReads(list, { maxGap: 8 });
    const halves = splitBatch(batch!);
    expect(shape(halves)).toEqual([
      ['input', 0, 4, ['a', 'b']],
      ['input', 10, 4, ['c', 'd']],
    ]);
    expect(shape(halves.flatMap(splitBatch))).toEqual([
      ['input', 0, 2, ['a']],
      ['input', 2, 2, ['b']],
      ['input', 10, 2, ['c']],
      ['input', 12, 2, ['d']],
    ]);
  });

  it('splits an odd number of points, the larger half first', () => {
    const [batch] = planReads(points(['a', '30001'], ['b', '30002'], ['c', '30003']), { maxGap: 0 });
    expect(shape(splitBatch(batch!))).toEqual([
      ['input', 0, 2, ['a', 'b']],
      ['input', 2, 1, ['c']],
    ]);
  });

  it('keeps points that share registers together, and returns a batch of one point as it is', () => {
    const [batch] = planReads(points(['all', '40001', 'uint32'], ['b0', '40002', 'bit'], ['n', '40003']), { maxGap: 0 });
    expect(shape(splitBatch(batch!))).toEqual([
      ['holding', 0, 2, ['all', 'b0']],
      ['holding', 2, 1, ['n']],
    ]);
    const [single] = splitBatch(batch!);
    expect(splitBatch(single!)).toEqual([single]);
  });
});

describe('decodeBatch', () => {
  it('gives each point its value from its slice of the read', () => {
    const list = points(['v', '30001', 'float32'], ['n', '30004'], ['s', '30005', 'string']);
    const [batch] = planReads(list, { maxGap: 1 });
    const values = decodeBatch(batch!, [0x4366, 0x8000, 0xdead, 7, 0x4142, 0x4344, 0, 0]);
    expect([...values].map(([p, v]) => [p.id, v])).toEqual([
      ['v', 230.5],
      ['n', 7],
      ['s', 'ABCD'],
    ]);
  });

  it('decodes bits, with the padding of a bit read ignored', () => {
    const list = points(['c1', '00001'], ['c3', '00003']);
    const [batch] = planReads(list, { maxGap: 8 });
    const values = decodeBatch(batch!, [true, true, false, false, false, false, false, false]);
    expect([...values.values()]).toEqual([true, false]);
  });

  it('makes an answer of the wrong length or kind a bad answer for every point', () => {
    const list = points(['a', '30001'], ['b', '30002']);
    const [batch] = planReads(list, { maxGap: 0 });
    for (const raw of [[1], [1, 2, 3], [true, false]] as (number[] | boolean[])[]) {
      const values = decodeBatch(batch!, raw);
      expect([...values.values()].every((v) => v instanceof ModbusError && v.code === 'MODBUS_BAD_ANSWER')).toBe(true);
    }
    expect((decodeBatch(batch!, [1]).get(list[0]!) as Error).message).toBe('read of 2 input register(s) at 0: the answer has 1 register(s)');
  });

  it('gives a garbage register its own error, the other points their values', () => {
    const list = points(['a', '30001'], ['b', '30002']);
    const [batch] = planReads(list, { maxGap: 0 });
    const values = decodeBatch(batch!, [70000, 5]);
    expect(values.get(list[0]!)).toBeInstanceOf(ModbusError);
    expect(values.get(list[1]!)).toBe(5);
  });
});
