import { basename } from 'node:path';
import { recordRow, type Row } from './table.js';

/** What a scenario fills in while it runs; the wrapper adds the result. */
export type Tally = Omit<Row, 'scenario' | 'result' | 'file'>;

/**
 * A jest test that leaves one row in the suite's table. The row's result is the test's own:
 * "pass" only when every assertion held, so the table cannot say more than the tests proved.
 */
export function scenario(name: string, run: (tally: Tally) => Promise<void>, timeoutMs = 90_000): void {
  it(
    name,
    async () => {
      const tally: Tally = { sent: null, delivered: null, lost: null, duplicated: null, notes: '' };
      let result: Row['result'] = 'FAIL';
      try {
        await run(tally);
        result = 'pass';
      } finally {
        recordRow({ scenario: name, file: basename(expect.getState().testPath ?? ''), ...tally, result });
      }
    },
    timeoutMs,
  );
}

/** Counts of ids received against ids sent: unique deliveries, losses, duplicates. */
export function tallyIds(sent: Iterable<string>, received: readonly string[]): Pick<Tally, 'sent' | 'delivered' | 'lost' | 'duplicated'> & { missing: string[] } {
  const expected = new Set(sent);
  const seen = new Set<string>();
  let duplicated = 0;
  for (const id of received) {
    if (!expected.has(id)) continue;
    if (seen.has(id)) duplicated += 1;
    else seen.add(id);
  }
  const missing = [...expected].filter((id) => !seen.has(id));
  return { sent: expected.size, delivered: seen.size, lost: missing.length, duplicated, missing };
}
