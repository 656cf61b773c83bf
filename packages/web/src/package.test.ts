import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOptionsTable } from '@mg/core/options';
import * as api from './index.js';
import { webOptions } from './options.js';
import { docOnDisk, withSection } from '@mg/test-helpers';

const pkgDir = join(__dirname, '..');

describe('the package', () => {
  it('shows the [WEB] options in its README as the code declares them (UPDATE_DOCS=1 rewrites the table)', () => {
    const path = join(pkgDir, 'README.md');
    const wanted = withSection(readFileSync(path, 'utf8'), 'options', renderOptionsTable(webOptions));
    expect(docOnDisk(path, wanted)).toBe(wanted);
  });

  it('exports what launchers use, by name, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(['WebError', 'web', 'webOptions'].sort());
    expect(api.web.section).toBe('WEB');
  });

  it('depends on @mg/core and prom-client alone, and ships its page', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; files: string[] };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@mg/core', 'prom-client']);
    expect(pkg.dependencies['prom-client']).toMatch(/^\^15\./);
    expect(pkg.files).toContain('public');
  });
});
