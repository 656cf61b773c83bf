import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docSection, tableColumns } from '@mg/test-helpers';
import { FEATURES, formatCompatTable, writeCompatReport, type CompatRow } from './compat.js';
import { coversSuite, formatTable, RELIABILITY_PAGE, SUITE_ORDER, type Row } from './table.js';

// docs/reliability.md shows the suite's tables: the runs write them there with UPDATE_DOCS=1, so
// the page must keep the sections they write into, with the columns they write.
const page = readFileSync(RELIABILITY_PAGE, 'utf8');

it("docs/reliability.md has the suite's table, with the columns the reporter writes", () => {
  const table = docSection(page, 'reliability');
  expect(table).toBeDefined();
  expect(tableColumns(table!)).toEqual(tableColumns(formatTable([])));
});

it('docs/reliability.md has the broker compatibility table, with the columns the compat test writes', () => {
  const table = docSection(page, 'compat');
  expect(table).toBeDefined();
  expect(tableColumns(table!)).toEqual(tableColumns(formatCompatTable([])));
});

it('only rows from every file of the suite make a table for the page', () => {
  const row = (file: string): Row => ({
    scenario: file,
    file: `${file}.int.test.ts`,
    sent: 1,
    delivered: 1,
    lost: 0,
    duplicated: 0,
    result: 'pass',
    notes: '',
  });
  expect(coversSuite(SUITE_ORDER.map(row))).toBe(true);
  expect(coversSuite(SUITE_ORDER.slice(1).map(row))).toBe(false);
});

describe('writeCompatReport', () => {
  let dir: string;
  const saved = process.env.UPDATE_DOCS;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-compat-'));
    writeFileSync(join(dir, 'page.md'), 'intro\n<!-- compat:start -->\nold\n<!-- compat:end -->\n');
    process.env.UPDATE_DOCS = '1';
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.UPDATE_DOCS;
    else process.env.UPDATE_DOCS = saved;
  });
  const full: CompatRow = { broker: 'B', cells: Object.fromEntries(FEATURES.map(({ key }) => [key, { verdict: 'yes', note: 'ok' }])) };

  it('with UPDATE_DOCS=1, puts a complete table into the page', () => {
    const table = writeCompatReport([full], [], join(dir, 'compat.md'), join(dir, 'page.md'));
    expect(readFileSync(join(dir, 'page.md'), 'utf8')).toBe(`intro\n<!-- compat:start -->\n${table}\n<!-- compat:end -->\n`);
  });

  it('leaves the page alone when a probe was not run (a test picked with -t)', () => {
    const partial: CompatRow = { broker: 'B', cells: { qos0: { verdict: 'yes', note: 'ok' } } };
    writeCompatReport([full, partial], [], join(dir, 'compat.md'), join(dir, 'page.md'));
    expect(readFileSync(join(dir, 'page.md'), 'utf8')).toContain('\nold\n');
  });
});
