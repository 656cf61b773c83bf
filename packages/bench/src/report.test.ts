import { readFileSync } from 'node:fs';
import { docSection, tableColumns } from '@mg/test-helpers';
import { formatDocSection, formatPollingTable, formatTable, PERFORMANCE_PAGE, type Row } from './report.js';

// Only the target, phase, throughput and rounds matter here; the rest is any plausible row.
const base = { sent: 100, received: 100, lost: 0, duplicates: 0, p50: 1, p99: 2, max: 3, cpuUs: 10, maxRss: 2 ** 20 };
const row = (target: string, phase: string, throughput: number, rounds?: number[]): Row => ({
  ...base,
  target,
  phase,
  throughput,
  ...(rounds ? { rounds } : {}),
});

it('the section for docs/performance.md is the table, then each burst of several rounds with its ratio to the relay', () => {
  const rows = [row('raw MQTT.js relay', 'burst 10, QoS 0', 100, [100, 200]), row('@mg, no map', 'burst 10, QoS 0', 90, [90, 220])];
  expect(formatDocSection(rows)).toBe(
    `${formatTable(rows)}\n\nEach burst's rounds, msg/s (ratio to the relay in the same round):\n\n` +
      '- raw MQTT.js relay, burst 10, QoS 0: 100, 200\n- @mg, no map, burst 10, QoS 0: 90 (0.90x), 220 (1.10x)',
  );
  expect(formatDocSection([row('raw MQTT.js relay', 'burst 10, QoS 0', 100)])).toBe(formatTable([row('raw MQTT.js relay', 'burst 10, QoS 0', 100)]));
});

it('docs/performance.md has the section UPDATE_DOCS=1 pnpm bench rewrites, showing no column the bench does not write', () => {
  const section = docSection(readFileSync(PERFORMANCE_PAGE, 'utf8'), 'bench');
  expect(section).toBeDefined();
  const written = tableColumns(formatTable([]));
  expect(tableColumns(section!).filter((c) => !written.includes(c))).toEqual([]);
});

it('docs/performance.md has the polling section the bench rewrites, showing no column it does not write', () => {
  const section = docSection(readFileSync(PERFORMANCE_PAGE, 'utf8'), 'bench-polling');
  expect(section).toBeDefined();
  const written = tableColumns(formatPollingTable([]));
  expect(written).toEqual(expect.arrayContaining(['CPU µs/poll', 'lateness p99 ms']));
  expect(tableColumns(section!).filter((c) => !written.includes(c))).toEqual([]);
});

it('the polling table gives polls per second, CPU per poll and lateness, as measured', () => {
  const table = formatPollingTable([
    {
      target: 'gw',
      device: 'tcp',
      polls: 30_000,
      seconds: 30,
      cpuUs: 41.23,
      p50: 0.5,
      p99: 12.346,
      max: 40,
      late: 2,
      failures: 0,
      timeouts: 0,
      published: 30_000,
    },
  ]);
  expect(table.split('\n')[2]).toMatch(/^\| gw +\| tcp +\| +30,000 \| +1,000 \| +41\.2 \| +0\.50 \| +12\.35 \| +40\.0 \| +2 \| +0 \| +0 \|$/);
});
