import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, orderRows, readRows, recordRow, type Row } from './table.js';
import { tallyIds } from './deliveries.js';

const row = (over: Partial<Row>): Row => ({ scenario: 'x', sent: 1, delivered: 1, lost: 0, duplicated: 0, result: 'pass', notes: '', ...over });

it('formats rows as an aligned Markdown table, numbers right-aligned with separators, dashes for n/a', () => {
  const table = formatTable([
    row({ scenario: 'Broker restart', sent: 12000, delivered: 12000 }),
    row({ scenario: 'Config | table', sent: null, delivered: null, lost: null, duplicated: null, result: 'FAIL', notes: 'see log' }),
  ]);
  expect(table.split('\n')).toEqual([
    '| Scenario        |   Sent | Delivered | Lost | Duplicated | Result | Notes   |',
    '|-----------------|-------:|----------:|-----:|-----------:|--------|---------|',
    '| Broker restart  | 12,000 |    12,000 |    0 |          0 | pass   |         |',
    '| Config \\| table |      – |         – |    – |          – | FAIL   | see log |',
  ]);
});

it('keeps rows in a file between the test processes and the reporter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-rows-'));
  try {
    const file = join(dir, 'rows.jsonl');
    expect(readRows(file)).toEqual([]);
    recordRow(row({ scenario: 'a' }), file);
    recordRow(row({ scenario: 'b', result: 'FAIL' }), file);
    expect(readRows(file).map((r) => `${r.scenario} ${r.result}`)).toEqual(['a pass', 'b FAIL']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('tallies unique deliveries, losses and duplicates, ignoring ids that were not sent', () => {
  expect(tallyIds(['a', 'b', 'c'], ['a', 'a', 'c', 'zz', 'a'])).toEqual({ sent: 3, delivered: 2, lost: 1, duplicated: 2, missing: ['b'] });
});

it('orders rows by suite file, keeping the run order within a file', () => {
  const rows = [
    row({ scenario: 'tls', file: 'security.int.test.ts' }),
    row({ scenario: 'kill', file: 'faults.int.test.ts' }),
    row({ scenario: 'x' }),
    row({ scenario: 'outage', file: 'faults.int.test.ts' }),
  ];
  expect(orderRows(rows).map((r) => r.scenario)).toEqual(['kill', 'outage', 'tls', 'x']);
});
