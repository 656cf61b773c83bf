import { PollScheduler } from '@mg/device-io';
import type { JsonValue } from '@mg/core';
import { ModbusExceptionError } from '../errors.js';
import { compileModbusProfile, type ModbusPoint, type ReadBatch } from '../profile/index.js';
import { UnitPolls } from './unit-polls.js';

const compiled = compileModbusProfile(
  {
    name: 'holey',
    description: 'registers 0, 1, 8-9 and 12 with nothing at 2..7',
    pollSeconds: 0.1,
    points: [
      { id: 'a', table: 'input', address: 0 },
      { id: 'b', table: 'input', address: 1 },
      { id: 'c', table: 'input', address: 8, type: 'float32' },
      { id: 'd', table: 'input', address: 12 },
    ],
  },
  'test',
);

/** A unit with no input registers 2..7 and 12: a read touching them is refused with ILLEGAL DATA ADDRESS. */
function read(batch: ReadBatch): Promise<number[]> {
  const end = batch.address + batch.count;
  const hole = (from: number, to: number) => batch.address <= to && end > from;
  if (hole(2, 7) || hole(12, 12)) return Promise.reject(new ModbusExceptionError(2, 'ILLEGAL DATA ADDRESS', 'refused'));
  return Promise.resolve(Array.from({ length: batch.count }, (_, i) => batch.address + i));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the reads of a unit on the poll scheduler', () => {
  it('splits a batch the unit refuses until every readable point is read, drops a point refused alone, and keeps the split', async () => {
    const scheduler = new PollScheduler({ timeoutMs: 1000, backoff: { minMs: 10, maxMs: 20 } });
    const published = new Map<string, JsonValue>();
    const warnings: string[] = [];
    const reads: string[] = [];
    const polls = new UnitPolls({
      scheduler,
      bus: 'test',
      unit: { name: 'holey', unit: 3, profile: 'holey.json', compiled },
      maxGap: 8,
      offsetMs: () => 0,
      read: (batch) => {
        reads.push(`${batch.address}x${batch.count}`);
        return read(batch);
      },
      publish: (_, values) => values.forEach((v, p: ModbusPoint) => published.set(p.id, v instanceof Error ? v.message : v)),
      logger: { warn: (m) => warnings.push(m) },
    });
    expect(polls.batches.map((b) => `${b.address}x${b.count}`)).toEqual(['0x13']);
    polls.resume();
    scheduler.start();
    try {
      await until(() => published.size === 3 && warnings.length === 1, 'the three readable points and the warning');
      expect(Object.fromEntries(published)).toMatchObject({ a: 0, b: 1 });
      expect(warnings[0]).toMatch(/^holey \(unit 3\) refused the read of d \(input 12, 1\) with ILLEGAL DATA ADDRESS: check the profile; not read any more$/);
      // The plan keeps the parts that work: the refused ranges are not asked again.
      const plan = polls.batches.map((b) => `${b.address}x${b.count}`);
      expect(plan.every((b) => !['0x13', '12x1'].includes(b))).toBe(true);
      const asked = reads.length;
      await until(() => reads.length >= asked + 2 * plan.length, 'two more rounds');
      expect(reads.slice(asked).every((r) => plan.includes(r))).toBe(true);
    } finally {
      polls.pause();
      await scheduler.stop();
    }
  });
});
