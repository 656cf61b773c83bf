/**
 * The points of a raw profile as the cross-checks read them: defensively, so that the checks run
 * even when other parts are invalid and one pass reports every problem.
 */
import { parseAddress } from './address.js';
import { commandActions, defaultAction, DEFAULT_ARGUMENT } from './names.js';
import { countOf, tableOf, typeOf, type PointShape } from './point-checks.js';
import type { Table, ValueType } from './types.js';

export type RawRecord = Record<string, unknown>;
export const isRecord = (v: unknown): v is RawRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a check reports: zod's refinement context. */
export interface IssueSink {
  addIssue(issue: { code: 'custom'; message: string; path?: PropertyKey[] }): void;
}

/** What the cross-checks need of one point. */
export interface RawPoint {
  index: number;
  id: string | undefined;
  action: string;
  argument: string;
  table: Table | undefined;
  type: ValueType | undefined;
  address: number | undefined;
  count: number;
  group: string | undefined;
  /** Its commands, when it is writable. */
  commands?: { set: string; on?: string; off?: string };
  enumNames: string[];
  min?: number;
  max?: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

export function rawPoints(raw: RawRecord): RawPoint[] {
  if (!Array.isArray(raw.points)) return [];
  return raw.points.flatMap((p: unknown, index): RawPoint[] => {
    if (!isRecord(p)) return [];
    const id = str(p.id);
    const action = str(p.action) ?? defaultAction(id ?? `#${index}`);
    const shape = p as unknown as PointShape;
    const address = typeof p.address === 'number' || typeof p.address === 'string' ? parseAddress(p.address) : undefined;
    const table = address?.ok ? tableOf(shape) : undefined;
    const type = table ? typeOf(shape, table) : undefined;
    const write = p.write === true ? {} : isRecord(p.write) ? p.write : undefined;
    const out: RawPoint = {
      index,
      id,
      action,
      argument: str(p.argument) ?? DEFAULT_ARGUMENT,
      table,
      type,
      address: address?.ok ? address.address : undefined,
      count: table && type ? countOf(type, num(p.length), table) : 1,
      group: str(p.group),
      enumNames: isRecord(p.enum) ? Object.values(p.enum).filter((n): n is string => typeof n === 'string') : [],
    };
    if (write) {
      out.commands = commandActions(action, str(write.action), type === 'bool');
      const [min, max] = [num(write.min), num(write.max)];
      if (min !== undefined) out.min = min;
      if (max !== undefined) out.max = max;
    }
    return [out];
  });
}
