import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the suite's table: what a scenario sent, what arrived, and whether it held. */
export interface Row {
  scenario: string;
  /** The test file the row comes from (rows are grouped by file, in SUITE_ORDER). */
  file?: string;
  /** Messages sent (or inputs tried); null where counting messages makes no sense. */
  sent: number | null;
  /** Of those, how many arrived where they should (unique). */
  delivered: number | null;
  /** Sent, not delivered and not accounted for (a drop the gateway counted and reported is not lost). */
  lost: number | null;
  /** Arrived more than once (QoS 1 allows it; counted, not hidden). */
  duplicated: number | null;
  result: 'pass' | 'FAIL';
  /** What else was measured: memory, log lines, drops reported. */
  notes: string;
}

/**
 * Where the test processes leave their rows for the reporter (a jest reporter runs in another
 * process than the tests). Jest's global setup clears it.
 */
export const ROWS_FILE = join(__dirname, '..', '.results', 'rows.jsonl');

/** The page users read the latest tables on; `UPDATE_DOCS=1` rewrites its `reliability` and `compat` sections. */
export const RELIABILITY_PAGE = join(__dirname, '..', '..', '..', 'docs', 'reliability.md');

export function recordRow(row: Row, file = ROWS_FILE): void {
  appendFileSync(file, `${JSON.stringify(row)}\n`);
}

export function readRows(file = ROWS_FILE): Row[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);
}

/** Test files in the order the table shows them (jest runs them in whatever order it likes). */
export const SUITE_ORDER = ['faults', 'flow', 'bad-input', 'security', 'scale-out', 'cluster'];

/** Rows grouped by file in SUITE_ORDER, each file's rows in the order they ran. */
export function orderRows(rows: readonly Row[]): Row[] {
  const rank = (r: Row) => {
    const i = SUITE_ORDER.indexOf((r.file ?? '').replace(/\.int\.test\.ts$/, ''));
    return i < 0 ? SUITE_ORDER.length : i;
  };
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/** Whether the rows come from every file of the suite: a run of one scenario must not replace the page's table. */
export function coversSuite(rows: readonly Row[]): boolean {
  const files = new Set(rows.map((r) => (r.file ?? '').replace(/\.int\.test\.ts$/, '')));
  return SUITE_ORDER.every((f) => files.has(f));
}

const HEADERS = ['Scenario', 'Sent', 'Delivered', 'Lost', 'Duplicated', 'Result', 'Notes'] as const;

function cell(v: number | string | null): string {
  if (v === null) return '–';
  return (typeof v === 'number' ? v.toLocaleString('en-US') : v).replace(/\|/g, '\\|');
}

/** The rows as a Markdown table (what docs/reliability.md shows and the run prints). */
export function formatTable(rows: readonly Row[]): string {
  const lines = rows.map((r) => [r.scenario, r.sent, r.delivered, r.lost, r.duplicated, r.result, r.notes].map(cell));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const numeric = (i: number) => i >= 1 && i <= 4;
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(HEADERS), rule, ...lines.map(line)].join('\n');
}
