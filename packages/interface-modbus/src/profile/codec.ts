/**
 * Registers <-> raw values, before scale, offset and enumerations. A value of several registers
 * is put in the most-significant-first byte order of its type (ABCD), whatever order the device
 * uses: `wordOrder` "little" reverses the registers, `byteOrder` "little" swaps the two bytes of
 * each one. So float32 230.5 (0x43668000) is read from 0x4366 0x8000 (ABCD), 0x8000 0x4366
 * (CDAB), 0x6643 0x0080 (BADC) or 0x0080 0x6643 (DCBA).
 */
import type { Order, ValueType } from './types.js';

/** Registers a value of a type spans (a string's is its own `length`). */
export const REGISTERS: Readonly<Record<Exclude<ValueType, 'string'>, number>> = {
  bool: 1,
  bit: 1,
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  int64: 4,
  uint64: 4,
  float64: 4,
};

/** The range of the integer types, as bigint so that 64-bit bounds are exact. */
export const INTEGER_RANGE: Readonly<Partial<Record<ValueType, readonly [bigint, bigint]>>> = {
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

export interface Layout {
  readonly byteOrder: Order;
  readonly wordOrder: Order;
}

/** The bytes of a value, most significant first, from its registers as the device sent them. */
export function wordsToBytes(words: readonly number[], layout: Layout): Buffer {
  const ordered = layout.wordOrder === 'little' ? [...words].reverse() : words;
  const bytes = Buffer.alloc(ordered.length * 2);
  ordered.forEach((w, i) => {
    const [hi, lo] = [w >> 8, w & 0xff];
    bytes[2 * i] = layout.byteOrder === 'big' ? hi : lo;
    bytes[2 * i + 1] = layout.byteOrder === 'big' ? lo : hi;
  });
  return bytes;
}

/** The registers to send for a value's bytes (most significant first): the inverse of wordsToBytes. */
export function bytesToWords(bytes: Buffer, layout: Layout): number[] {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    const [a, b] = [bytes[i]!, bytes[i + 1]!];
    words.push(layout.byteOrder === 'big' ? (a << 8) | b : (b << 8) | a);
  }
  return layout.wordOrder === 'little' ? words.reverse() : words;
}

/** A raw value: a number, a bigint (64-bit integers), a string, or a boolean (bool, bit). */
export type RawValue = number | bigint | string | boolean;

/** The raw value of a numeric or string type from its bytes (most significant first). */
export function readRaw(type: ValueType, bytes: Buffer, bit = 0): RawValue {
  switch (type) {
    case 'bool':
      return bytes.readUInt16BE(0) !== 0;
    case 'bit':
      return ((bytes.readUInt16BE(0) >> bit) & 1) === 1;
    case 'int16':
      return bytes.readInt16BE(0);
    case 'uint16':
      return bytes.readUInt16BE(0);
    case 'int32':
      return bytes.readInt32BE(0);
    case 'uint32':
      return bytes.readUInt32BE(0);
    case 'float32':
      return bytes.readFloatBE(0);
    case 'int64':
      return bytes.readBigInt64BE(0);
    case 'uint64':
      return bytes.readBigUInt64BE(0);
    case 'float64':
      return bytes.readDoubleBE(0);
    case 'string': {
      // Devices pad a short text with NULs or spaces: neither is part of the value.
      const text = bytes.toString('latin1');
      const end = text.indexOf('\0');
      return (end < 0 ? text : text.slice(0, end)).trimEnd();
    }
  }
}

/** The bytes (most significant first) of a raw value already checked against its type's range. */
export function writeRaw(type: ValueType, value: RawValue, registers: number): Buffer {
  const bytes = Buffer.alloc(registers * 2);
  switch (type) {
    case 'bool':
    case 'bit':
      bytes.writeUInt16BE(value === true ? 1 : 0, 0);
      break;
    case 'int16':
      bytes.writeInt16BE(Number(value), 0);
      break;
    case 'uint16':
      bytes.writeUInt16BE(Number(value), 0);
      break;
    case 'int32':
      bytes.writeInt32BE(Number(value), 0);
      break;
    case 'uint32':
      bytes.writeUInt32BE(Number(value), 0);
      break;
    case 'float32':
      bytes.writeFloatBE(Number(value), 0);
      break;
    case 'int64':
      bytes.writeBigInt64BE(BigInt(value), 0);
      break;
    case 'uint64':
      bytes.writeBigUInt64BE(BigInt(value), 0);
      break;
    case 'float64':
      bytes.writeDoubleBE(Number(value), 0);
      break;
    case 'string':
      bytes.write(String(value), 'latin1');
      break;
  }
  return bytes;
}
