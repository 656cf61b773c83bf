import type { JsonValue } from '@mg/core';
import { DeviceNotConnectedError, DeviceStoppedError, RequestTimeoutError, type DeviceLogger, type PollScheduler } from '@mg/device-io';
import { errorMessage } from '@mg/errors';
import { ILLEGAL_DATA_ADDRESS } from '../bus/exceptions.js';
import type { ReadResult } from '../bus/client.js';
import { ModbusExceptionError, type ModbusError } from '../errors.js';
import { decodeBatch, planReads, splitBatch, type ModbusPoint, type ReadBatch } from '../profile/index.js';
import type { ModbusUnit } from './unit-profiles.js';

/** What UnitPolls uses of the scheduler. */
type PollQueue = Pick<PollScheduler, 'add' | 'pollNow'>;

export interface UnitPollsOptions {
  readonly scheduler: PollQueue;
  /** The bus's name on the scheduler: one request at a time on it. */
  readonly bus: string;
  readonly unit: ModbusUnit;
  readonly maxGap: number;
  /** Where each item's slot falls within its interval, so that items spread over the bus. */
  offsetMs(intervalMs: number): number;
  /** One read of a batch from this unit (through the bus, with its timeout and retries). */
  read(batch: ReadBatch, signal: AbortSignal): Promise<ReadResult>;
  /** The values a read gave, per point (an Error for a point whose slice could not be decoded). */
  publish(unit: ModbusUnit, values: Map<ModbusPoint, JsonValue | Error>): void;
  readonly logger: DeviceLogger;
}

interface Planned {
  batch: ReadBatch;
  readonly intervalMs: number;
  remove?: () => void;
}

/**
 * The reads of one unit's points on the poll scheduler: the points of each interval planned
 * into batches (neighbours of one table in one request, gaps up to maxGap), each batch a poll
 * item of the unit, so that a unit that stops answering is backed off alone. A batch the unit
 * refuses with ILLEGAL DATA ADDRESS (a hole in its register map) is replaced by smaller reads
 * (halves, down to one point), and the plan keeps that for as long as the interface runs; a
 * single point refused so is dropped with a warning. Items are on the scheduler while the bus
 * is connected (`resume()`) and off it while it is not (`pause()`).
 */
export class UnitPolls {
  private readonly plan: Planned[] = [];
  private active = false;

  constructor(private readonly o: UnitPollsOptions) {
    const byInterval = new Map<number, ModbusPoint[]>();
    for (const p of o.unit.compiled.points) byInterval.set(p.intervalMs, [...(byInterval.get(p.intervalMs) ?? []), p]);
    for (const [intervalMs, points] of byInterval) {
      for (const batch of planReads(points, { maxGap: o.maxGap })) this.plan.push({ batch, intervalMs });
    }
  }

  /** Read requests per round of every interval, for tests and logs. */
  get batches(): readonly ReadBatch[] {
    return this.plan.map((p) => p.batch);
  }

  resume(): void {
    this.pause();
    this.active = true;
    for (const p of this.plan) this.schedule(p, this.o.offsetMs(p.intervalMs));
  }

  pause(): void {
    this.active = false;
    for (const p of this.plan) {
      p.remove?.();
      delete p.remove;
    }
  }

  /** Polls every item at once (a poll on demand); how many were queued: 0 while paused. */
  pollNow(): number {
    return this.active ? this.o.scheduler.pollNow(this.o.unit.name) : 0;
  }

  private schedule(p: Planned, offsetMs: number): void {
    const { table, address, count } = p.batch;
    p.remove = this.o.scheduler.add(this.o.bus, {
      device: this.o.unit.name,
      id: `${table}:${address}+${count}`,
      intervalMs: p.intervalMs,
      offsetMs: Math.min(offsetMs, p.intervalMs - 1),
      poll: (signal) => this.poll(p, signal),
    });
  }

  private async poll(p: Planned, signal: AbortSignal): Promise<void> {
    let raw: ReadResult;
    try {
      raw = await this.o.read(p.batch, signal);
    } catch (err) {
      if (err instanceof ModbusExceptionError && err.exception === ILLEGAL_DATA_ADDRESS) {
        // The unit answered: not a failure of the unit. The plan changes once this poll has ended.
        setImmediate(() => this.refused(p));
        return;
      }
      throw forScheduler(err);
    }
    this.o.publish(this.o.unit, decodeBatch(p.batch, raw));
  }

  private refused(p: Planned): void {
    const at = this.plan.indexOf(p);
    if (at < 0) return;
    p.remove?.();
    const { table, address, count, points } = p.batch;
    const where = `${this.o.unit.name} (unit ${this.o.unit.unit})`;
    // A batch that cannot be split (one point, or points sharing registers: bits of one register)
    // comes back whole: it is dropped, or it would be refused again at once, for ever.
    const split = splitBatch(p.batch);
    if (split.length <= 1) {
      this.plan.splice(at, 1);
      const ids = points.map((q) => q.id).join(', ');
      this.o.logger.warn?.(
        `${where} refused the read of ${ids} (${table} ${address}, ${count}) with ILLEGAL DATA ADDRESS: check the profile; not read any more`,
      );
      return;
    }
    const parts: Planned[] = split.map((batch) => ({ batch, intervalMs: p.intervalMs }));
    this.plan.splice(at, 1, ...parts);
    this.o.logger.info?.(`${where} refused a read of ${count} at ${table} ${address} (ILLEGAL DATA ADDRESS): read in ${parts.length} parts from now on`);
    // Read at once rather than an interval later: the values are owed.
    if (this.active) for (const part of parts) this.schedule(part, 0);
  }
}

/**
 * The scheduler tells a line that is down (no backoff: the unit is not to blame) and a timeout
 * (counted apart) by device-io's codes; the cause keeps the Modbus error.
 */
function forScheduler(err: unknown): unknown {
  const code = (err as ModbusError | undefined)?.code;
  if (code === 'MODBUS_NOT_CONNECTED') return new DeviceNotConnectedError(errorMessage(err), { cause: err });
  if (code === 'MODBUS_STOPPED') return new DeviceStoppedError(errorMessage(err), { cause: err });
  if (code === 'MODBUS_TIMEOUT') return new RequestTimeoutError(errorMessage(err), { cause: err });
  return err;
}
