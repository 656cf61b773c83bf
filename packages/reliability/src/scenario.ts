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
