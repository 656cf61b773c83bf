import { join } from 'node:path';
import { indexExports } from '@mg/test-helpers';
import * as api from './index.js';

describe('the @mg/throttled-error package', () => {
  it('exports its public surface by name, values and types, and nothing else (a new name is a conscious change here)', () => {
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual([
      'Clock',
      'DEFAULT_LAG_MS',
      'Throttle',
      'ThrottleOptions',
      'ThrottleVerdict',
      'ThrottledError',
      'ThrottledErrorCode',
      'ThrottledErrorOptions',
    ]);
  });
});
