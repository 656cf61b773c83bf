/**
 * Which reads cover a set of points: neighbouring points of one table in one request, up to the
 * protocol's limits (125 registers, 2000 bits) and with at most `maxGap` unused addresses between
 * two of them (reading a few registers for nothing costs less than another round trip). Pure
 * functions: the runtime decides which points are due, and remembers the batches a device refused.
 */
import { ModbusError } from '../errors.js';
import type { JsonValue } from '@mg/core';
import type { ModbusPoint, ReadBatch, Table } from './types.js';

export interface PlanOptions {
  /** Largest run of unused registers read inside a batch (coils and discrete inputs: see maxBitGap). */
  maxGap: number;
  /** Registers in one read; default 125, the protocol's limit (function 3 and 4). */
  maxRegisters?: number;
  /** Bits in one read; default 2000, the protocol's limit (function 1 and 2). */
  maxBits?: number;
  /** Largest run of unused bits inside a batch; default maxGap × 16 (as many bytes on the wire as maxGap registers). */
  maxBitGap?: number;
}

const TABLE_ORDER: readonly Table[] = ['holding', 'input', 'coil', 'discrete'];
const isBits = (table: Table) => table === 'coil' || table === 'discrete';
const byAddress = (a: ModbusPoint, b: ModbusPoint) => a.address - b.address || b.count - a.count;

function batchOf(table: Table, points: readonly ModbusPoint[]): ReadBatch {
  const address = Math.min(...points.map((p) => p.address));
  const end = Math.max(...points.map((p) => p.address + p.count));
  return { table, address, count: end - address, points };
}

/**
 * The reads that cover `points`, table by table (holding, input, coil, discrete), each in
 * address order. A point is never split: one larger than the limit is read alone.
 */
export function planReads(points: readonly ModbusPoint[], options: PlanOptions): ReadBatch[] {
  const out: ReadBatch[] = [];
  for (const table of TABLE_ORDER) {
    const sorted = points.filter((p) => p.table === table).sort(byAddress);
    const limit = isBits(table) ? (options.maxBits ?? 2000) : (options.maxRegisters ?? 125);
    const gap = isBits(table) ? (options.maxBitGap ?? options.maxGap * 16) : options.maxGap;
    let current: ModbusPoint[] = [];
    let start = 0;
    let end = 0;
    for (const p of sorted) {
      const newEnd = Math.max(end, p.address + p.count);
      if (current.length > 0 && p.address - end <= gap && newEnd - start <= limit) {
        current.push(p);
        end = newEnd;
        continue;
      }
      if (current.length > 0) out.push(batchOf(table, current));
      current = [p];
      start = p.address;
      end = p.address + p.count;
    }
    if (current.length > 0) out.push(batchOf(table, current));
  }
  return out;
}

/**
 * Smaller reads for a batch the device refused (ILLEGAL DATA ADDRESS: a hole in the middle):
 * its points in two halves, each read over its own span. Points that share registers stay
 * together. A batch of one point (or of points that all overlap) is returned as it is: that
 * read itself is what the device refuses.
 */
export function splitBatch(batch: ReadBatch): ReadBatch[] {
  const clusters: ModbusPoint[][] = [];
  let end = -1;
  for (const p of [...batch.points].sort(byAddress)) {
    const last = clusters.at(-1);
    if (last && p.address < end) last.push(p);
    else clusters.push([p]);
    end = Math.max(end, p.address + p.count);
  }
  if (clusters.length <= 1) return [batch];
  const half = Math.ceil(clusters.length / 2);
  return [clusters.slice(0, half).flat(), clusters.slice(half).flat()].map((points) => batchOf(batch.table, points));
}

/**
 * The value of every point of a batch from what its read returned (registers as uint16 words,
 * bits as booleans: bit reads may carry padding up to the next multiple of 8). An answer of the
 * wrong length or kind is a bad answer for every point; a point whose registers are garbage gets
 * its own error, the others their values.
 */
export function decodeBatch(batch: ReadBatch, raw: readonly number[] | readonly boolean[]): Map<ModbusPoint, JsonValue | Error> {
  const out = new Map<ModbusPoint, JsonValue | Error>();
  const bits = isBits(batch.table);
  const shortOrLong = bits ? raw.length < batch.count || raw.length >= batch.count + 8 : raw.length !== batch.count;
  const wrongKind = raw.some((v) => typeof v !== (bits ? 'boolean' : 'number'));
  if (shortOrLong || wrongKind) {
    const what = shortOrLong ? `${raw.length} ${bits ? 'bit' : 'register'}(s)` : bits ? 'registers' : 'bits';
    const error = new ModbusError(
      'MODBUS_BAD_ANSWER',
      `read of ${batch.count} ${batch.table} ${bits ? 'bit' : 'register'}(s) at ${batch.address}: the answer has ${what}`,
    );
    for (const p of batch.points) out.set(p, error);
    return out;
  }
  for (const p of batch.points) {
    const from = p.address - batch.address;
    try {
      out.set(p, p.decode(raw.slice(from, from + p.count)));
    } catch (err) {
      out.set(p, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return out;
}
