import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index.js';
import { homeAssistantOptions } from './options.js';

const pkgDir = join(__dirname, '..');

/** The options table, as @mg/config renders one, from the options' own metadata. */
function optionsTable(): string {
  const rows = ['| option | default | meaning |', '| --- | --- | --- |'];
  for (const [name, schema] of Object.entries(homeAssistantOptions)) {
    const m = (schema as unknown as { meta(): { default: string; description: string } }).meta();
    rows.push(`| \`${name}\` | ${m.default === '' ? '(empty)' : `\`${m.default}\``} | ${m.description} |`);
  }
  return rows.join('\n');
}

describe('the package', () => {
  it('shows the [HOMEASSISTANT] options in its README as the code declares them (UPDATE_DOCS=1 rewrites the table)', () => {
    const path = join(pkgDir, 'README.md');
    const text = readFileSync(path, 'utf8');
    const updated = text.replace(/<!-- options:start -->[\s\S]*<!-- options:end -->/, `<!-- options:start -->\n${optionsTable()}\n<!-- options:end -->`);
    if (process.env.UPDATE_DOCS === '1') writeFileSync(path, updated);
    else expect(text).toBe(updated);
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
