import type { JsonValue, MessageArguments } from '@mg/core';
import type { ModbusRequest, ReadResult } from '../bus/client.js';
import { decodeBatch, type ModbusPoint, type ReadBatch, type Table } from '../profile/index.js';
import { failureReason } from './reply-reasons.js';
import type { ModbusUnit } from './unit-profiles.js';

/** The read function of each table. */
const READ_FC: Readonly<Record<Table, 1 | 2 | 3 | 4>> = { coil: 1, discrete: 2, holding: 3, input: 4 };

/** The read request of a batch of one unit. */
export function readRequest(unit: number, b: Pick<ReadBatch, 'table' | 'address' | 'count'>): ModbusRequest {
  return { kind: 'read', unit, fc: READ_FC[b.table], address: b.address, count: b.count };
}

export interface CommandOutcome {
  ok: boolean;
  /** For the reply, worded for the sender. */
  reason: string;
  /** The value read back after the write. */
  value?: JsonValue;
  timeout?: boolean;
  /** For the operator's log (a failure the sender cannot act on). */
  log?: string;
}

export interface CommandDeps {
  request(r: ModbusRequest): Promise<ReadResult | undefined>;
  publish(unit: ModbusUnit, values: Map<ModbusPoint, JsonValue | Error>): void;
  readonly timeoutMs: number;
  readonly retries: number;
}

/**
 * Carries out one command of a unit's profile: the value (fixed by the command, or from its
 * argument) checked by the point BEFORE anything is sent, written with the point's function
 * (5, 6, 15, 16), read back and published; OK with the value read back, or ERROR naming the
 * Modbus exception or the timeout.
 */
export async function runCommand(unit: ModbusUnit, action: string, args: MessageArguments, deps: CommandDeps): Promise<CommandOutcome> {
  const commands = unit.compiled.commands;
  const command = commands.get(action.toUpperCase());
  if (!command) {
    const known = [...commands.keys()];
    return { ok: false, reason: `unknown action "${action}" for ${unit.name} (${known.length > 0 ? `known: ${known.join(', ')}` : 'it takes no commands'})` };
  }
  const { point } = command;
  const argument = command.argument ?? point.argument;
  const given = command.value !== undefined ? command.value : args[argument];
  if (given === undefined) return { ok: false, reason: `argument "${argument}" is required: the value to write` };
  const checked = point.check(given);
  if (!checked.ok) return { ok: false, reason: checked.reason };
  if (!point.write) return { ok: false, reason: `${point.id} of ${unit.name} cannot be written` };
  const words = point.encode(checked.value);
  try {
    await deps.request({ kind: 'write', unit: unit.unit, fc: point.write.fc, address: point.address, values: words });
  } catch (err) {
    return failed(err, deps, '');
  }
  let raw: ReadResult | undefined;
  try {
    raw = await deps.request(readRequest(unit.unit, point));
  } catch (err) {
    return failed(err, deps, 'the value was written but reading it back failed: ');
  }
  const values = decodeBatch({ table: point.table, address: point.address, count: point.count, points: [point] }, raw ?? []);
  deps.publish(unit, values);
  const value = values.get(point);
  if (value === undefined || value instanceof Error) {
    return { ok: false, reason: 'the value was written but what was read back could not be decoded', ...(value ? { log: value.message } : {}) };
  }
  return { ok: true, reason: `written; read back: ${JSON.stringify(value)}`, value };
}

function failed(err: unknown, deps: CommandDeps, prefix: string): CommandOutcome {
  const f = failureReason(err, deps);
  return { ok: false, reason: `${prefix}${f.reason}`, timeout: f.timeout, ...(f.log ? { log: f.log } : {}) };
}
