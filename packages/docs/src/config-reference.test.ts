import { join } from 'node:path';
import { renderConfigReference } from './config-reference.js';
import { docOnDisk } from '@mg/test-helpers';

const PAGE = join(__dirname, '..', '..', '..', 'docs', 'configuration.md');

it('docs/configuration.md lists every option as the schemas define it (UPDATE_DOCS=1 rewrites it)', () => {
  const text = renderConfigReference();
  expect(docOnDisk(PAGE, text)).toBe(text);
});
