import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOptionsTable } from '@mg/core/options';
import * as api from './index.js';
import { homeAssistantOptions } from './options.js';
import { docOnDisk, withSection } from '@mg/test-helpers';

const pkgDir = join(__dirname, '..');

describe('the package', () => {
  it('shows the [HOMEASSISTANT] options in its README as the code declares them (UPDATE_DOCS=1 rewrites the table)', () => {
    const path = join(pkgDir, 'README.md');
    const wanted = withSection(readFileSync(path, 'utf8'), 'options', renderOptionsTable(homeAssistantOptions));
    expect(docOnDisk(path, wanted)).toBe(wanted);
  });

  it('exports what launchers use, by name, and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(['HomeAssistantError', 'homeAssistant', 'homeAssistantOptions'].sort());
    expect(api.homeAssistant.section).toBe('HOMEASSISTANT');
  });

  it('depends on @mg/core alone', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['@mg/core']);
  });
});
