import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigReference } from './config-reference.js';

const PAGE = join(__dirname, '..', '..', '..', 'docs', 'configuration.md');

it('docs/configuration.md lists every option as the schemas define it (UPDATE_DOCS=1 rewrites it)', () => {
  const text = renderConfigReference();
  if (process.env.UPDATE_DOCS === '1') writeFileSync(PAGE, text);
  expect(readFileSync(PAGE, 'utf8')).toBe(text);
});
