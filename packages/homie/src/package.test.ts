import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOptionsTable } from '@mg/core/options';
import * as api from './index.js';
import { homieOptions } from './options.js';

const pkgDir = join(__dirname, '..');

describe('the package', () => {
  it('shows the [HOMIE] options in its README as the code declares them (UPDATE_DOCS=1 rewrites the table)', () => {
    const path = join(pkgDir, 'README.md');
    const text = readFileSync(path, 'utf8');
    const updated = text.replace(
      /<!-- options:start -->[\s\S]*<!-- options:end -->/,
      `<!-- options:start -->\n${renderOptionsTable(homieOptions)}\n<!-- options:end -->`,
    );
    if (process.env.UPDATE_DOCS === '1') writeFileSync(path, updated);
    else expect(text).toBe(updated);
  });

  it('exports what launchers use, by name, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(['homie', 'homieOptions'].sort());
    expect(api.homie.section).toBe('HOMIE');
  });

  it('depends on @mg/core alone', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['@mg/core']);
  });
});
