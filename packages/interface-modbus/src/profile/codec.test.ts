import { bytesToWords, readRaw, wordsToBytes, writeRaw, type Layout } from './codec.js';
import type { ValueType } from './types.js';

const ABCD: Layout = { byteOrder: 'big', wordOrder: 'big' };
const CDAB: Layout = { byteOrder: 'big', wordOrder: 'little' };
const BADC: Layout = { byteOrder: 'little', wordOrder: 'big' };
const DCBA: Layout = { byteOrder: 'little', wordOrder: 'little' };
const ORDERS = { ABCD, CDAB, BADC, DCBA };

const read = (type: ValueType, words: number[], layout = ABCD, bit = 0) => readRaw(type, wordsToBytes(words, layout), bit);
const write = (type: ValueType, value: number | bigint | string | boolean, registers: number, layout = ABCD) =>
  bytesToWords(writeRaw(type, value, registers), layout);

describe('byte and word orders', () => {
  it.each([
    ['ABCD', [0x4366, 0x8000]],
    ['CDAB', [0x8000, 0x4366]],
    ['BADC', [0x6643, 0x0080]],
    ['DCBA', [0x0080, 0x6643]],
  ] as const)('float32 230.5 (0x43668000) in %s is %j', (name, words) => {
    expect(read('float32', [...words], ORDERS[name])).toBe(230.5);
    expect(write('float32', 230.5, 2, ORDERS[name])).toEqual(words);
  });

  it.each([
    ['ABCD', [0x0102, 0x0304, 0x0506, 0x0708]],
    ['CDAB', [0x0708, 0x0506, 0x0304, 0x0102]],
    ['BADC', [0x0201, 0x0403, 0x0605, 0x0807]],
    ['DCBA', [0x0807, 0x0605, 0x0403, 0x0201]],
  ] as const)('uint64 0x0102030405060708 in %s is %j', (name, words) => {
    expect(read('uint64', [...words], ORDERS[name])).toBe(0x0102030405060708n);
    expect(write('uint64', 0x0102030405060708n, 4, ORDERS[name])).toEqual(words);
  });

  it('swaps the bytes of a one-register value only with byteOrder', () => {
    expect(read('uint16', [0x1234], CDAB)).toBe(0x1234);
    expect(read('uint16', [0x1234], BADC)).toBe(0x3412);
    expect(write('int16', -2, 1, DCBA)).toEqual([0xfeff]);
  });
});

describe('types', () => {
  it('reads signed and unsigned 16-bit registers', () => {
    expect(read('int16', [0xffff])).toBe(-1);
    expect(read('uint16', [0xffff])).toBe(65535);
    expect(read('int16', [0x8000])).toBe(-32768);
    expect(write('int16', -32768, 1)).toEqual([0x8000]);
    expect(write('uint16', 65535, 1)).toEqual([0xffff]);
  });

  it('reads 32-bit integers and floats', () => {
    expect(read('int32', [0xffff, 0xfffe])).toBe(-2);
    expect(read('uint32', [0xffff, 0xfffe])).toBe(4294967294);
    expect(read('int32', [0x0001, 0x0000])).toBe(65536);
    expect(write('int32', -2, 2)).toEqual([0xffff, 0xfffe]);
    expect(write('uint32', 4294967294, 2)).toEqual([0xffff, 0xfffe]);
    expect(read('float32', [0xc2f6, 0xe979])).toBeCloseTo(-123.456, 3);
    expect(Number.isNaN(read('float32', [0x7fc0, 0x0000]))).toBe(true);
  });

  it('reads 64-bit integers exactly, as bigint', () => {
    expect(read('int64', [0xffff, 0xffff, 0xffff, 0xffff])).toBe(-1n);
    expect(read('uint64', [0xffff, 0xffff, 0xffff, 0xffff])).toBe(2n ** 64n - 1n);
    expect(write('int64', -1n, 4)).toEqual([0xffff, 0xffff, 0xffff, 0xffff]);
    expect(write('int64', -1, 4)).toEqual([0xffff, 0xffff, 0xffff, 0xffff]);
  });

  it('reads float64', () => {
    expect(write('float64', 1.5, 4)).toEqual([0x3ff8, 0, 0, 0]);
    expect(read('float64', [0x3ff8, 0, 0, 0])).toBe(1.5);
    expect(
      read(
        'float64',
        [0x400921fb, 0, 0, 0].map((w) => w & 0xffff),
      ),
    ).not.toBeNaN();
  });

  it('reads bool and bit from a register', () => {
    expect(read('bool', [0])).toBe(false);
    expect(read('bool', [0x0100])).toBe(true);
    expect(read('bit', [0b1000_0000_0000_0100], ABCD, 2)).toBe(true);
    expect(read('bit', [0b1000_0000_0000_0100], ABCD, 15)).toBe(true);
    expect(read('bit', [0b1000_0000_0000_0100], ABCD, 0)).toBe(false);
    expect(write('bool', true, 1)).toEqual([1]);
    expect(write('bool', false, 1)).toEqual([0]);
  });

  it('reads strings two characters a register, without their padding', () => {
    expect(read('string', [0x5344, 0x4d36, 0x3330, 0x0000])).toBe('SDM630');
    expect(read('string', [0x4142, 0x4320, 0x2020])).toBe('ABC');
    expect(read('string', [0x5344, 0x4d36], BADC)).toBe('DS6M');
    expect(write('string', 'SDM630', 4)).toEqual([0x5344, 0x4d36, 0x3330, 0x0000]);
    expect(write('string', 'ABC', 2)).toEqual([0x4142, 0x4300]);
    expect(write('string', 'é', 1)).toEqual([0xe900]);
  });
});
