import { join } from 'node:path';
import type { ModbusRow } from './modbus.js';
import type { PollingRow } from './polling.js';
import type { LoadResult } from './protocol.js';

/** The page users read the latest run on; `UPDATE_DOCS=1 pnpm bench` rewrites its `bench` section. */
export const PERFORMANCE_PAGE = join(__dirname, '..', '..', '..', 'docs', 'performance.md');

export interface Row extends LoadResult {
  target: string;
  phase: string;
  /** Target CPU time per message relayed (received back), µs. */
  cpuUs: number;
  /** Target peak RSS, bytes. */
  maxRss: number;
  /** Throughput of each round, when the row combines several (the row has their median). */
  rounds?: number[];
}

const RELAY = 'raw MQTT.js relay';

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const ratio = (a: number, b: number | undefined) => (b && Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}x` : '-');

/** A Markdown table, its first two columns (names) left-aligned, the others (figures) right-aligned. */
function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

/** The results as a table, each row with its ratio to the relay's row of the same phase. */
export function formatTable(rows: Row[]): string {
  const relay = new Map(rows.filter((r) => r.target === RELAY).map((r) => [r.phase, r]));
  const header = [
    'target',
    'phase',
    'sent',
    'lost',
    'dup',
    'msg/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'CPU µs/msg',
    'peak RSS MB',
    'msg/s vs relay',
    'p99 vs relay',
    'CPU vs relay',
    'RSS vs relay',
  ];
  const body = rows.map((r) => {
    const base = relay.get(r.phase);
    return [
      r.target,
      r.phase,
      n(r.sent),
      n(r.lost),
      n(r.duplicates),
      n(r.throughput),
      n(r.p50, 2),
      n(r.p99, 2),
      n(r.max, 1),
      n(r.cpuUs, 1),
      n(r.maxRss / 2 ** 20, 1),
      ratio(r.throughput, base?.throughput),
      ratio(r.p99, base?.p99),
      ratio(r.cpuUs, base?.cpuUs),
      ratio(r.maxRss, base?.maxRss),
    ];
  });
  return markdownTable(header, body);
}

/** Each burst's throughput per round and its ratio to the relay's in the same round: the spread behind a median. */
export function formatRounds(rows: Row[]): string {
  const relay = new Map(rows.filter((r) => r.target === RELAY).map((r) => [r.phase, r.rounds ?? []]));
  return rows
    .filter((r) => (r.rounds?.length ?? 0) > 1 && !r.phase.startsWith('steady'))
    .map((r) => {
      const base = relay.get(r.phase) ?? [];
      const each = r.rounds!.map((t, i) => (r.target === RELAY ? n(t) : `${n(t)} (${ratio(t, base[i])})`));
      return `${r.target}, ${r.phase}: ${each.join(', ')}`;
    })
    .join('\n');
}

/** What docs/performance.md shows of a run: the table, then each burst's rounds as a list. */
export function formatDocSection(rows: Row[]): string {
  const rounds = formatRounds(rows);
  if (rounds === '') return formatTable(rows);
  const list = rounds
    .split('\n')
    .map((l) => `- ${l}`)
    .join('\n');
  return `${formatTable(rows)}\n\nEach burst's rounds, msg/s (ratio to the relay in the same round):\n\n${list}`;
}

/** The polling rows: CPU per poll and how late polls started. */
export function formatPollingTable(rows: PollingRow[]): string {
  const header = [
    'target',
    'device',
    'polls',
    'polls/s',
    'CPU µs/poll',
    'lateness p50 ms',
    'lateness p99 ms',
    'lateness max ms',
    'late',
    'failures',
    'timeouts',
  ];
  const body = rows.map((r) => [
    r.target,
    r.device,
    n(r.polls),
    n(r.polls / r.seconds),
    n(r.cpuUs, 1),
    n(r.p50, 2),
    n(r.p99, 2),
    n(r.max, 1),
    n(r.late),
    n(r.failures),
    n(r.timeouts),
  ]);
  return markdownTable(header, body);
}

/** The Modbus rows: registers read per second, CPU per request and per poll cycle. */
export function formatModbusTable(rows: ModbusRow[]): string {
  const header = ['target', 'load', 'requests', 'requests/s', 'registers/s', 'CPU µs/request', 'CPU ms/poll cycle'];
  const body = rows.map((r) => [
    r.target,
    r.load,
    n(r.requests),
    n(r.requests / r.seconds),
    n(r.registersPerS),
    n(r.cpuUs, 1),
    r.cpuMsPerCycle === undefined ? '-' : n(r.cpuMsPerCycle, 1),
  ]);
  return markdownTable(header, body);
}
