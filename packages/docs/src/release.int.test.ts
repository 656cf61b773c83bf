import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The release flow the README documents: a changeset on @mg/core, `changeset version`, and
// every package that depends on core is bumped with it. Run on a copy of the manifests.
const REPO = join(__dirname, '..', '..', '..');
const version = (dir: string, pkg: string) => (JSON.parse(readFileSync(join(dir, 'packages', pkg, 'package.json'), 'utf8')) as { version: string }).version;

it('a minor changeset on @mg/core bumps core and the packages that depend on it, not the utilities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-release-'));
  try {
    for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(REPO, f), join(dir, f));
    cpSync(join(REPO, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'), { recursive: true });
    const before: Record<string, string> = {};
    for (const pkg of readdirSync(join(REPO, 'packages'))) {
      mkdirSync(join(dir, 'packages', pkg), { recursive: true });
      cpSync(join(REPO, 'packages', pkg, 'package.json'), join(dir, 'packages', pkg, 'package.json'));
      before[pkg] = version(dir, pkg);
    }
    writeFileSync(join(dir, '.changeset', 'core-change.md'), '---\n"@mg/core": minor\n---\n\nA new option.\n');
    execFileSync(process.execPath, [require.resolve('@changesets/cli/bin.js'), 'version'], { cwd: dir, stdio: 'pipe' });

    const bump = (v: string, part: 'minor' | 'patch') => {
      const [maj, min, pat] = v.split('.').map(Number) as [number, number, number];
      return part === 'minor' ? `${maj}.${min + 1}.0` : `${maj}.${min}.${pat + 1}`;
    };
    expect(version(dir, 'core')).toBe(bump(before.core!, 'minor'));
    // Dependents get a patch for the new range; the conventions are not in the fixed group, so
    // they do not take core's minor.
    for (const dependent of ['interface-dummy', 'interface-serial', 'homeassistant', 'homie']) {
      expect(version(dir, dependent)).toBe(bump(before[dependent]!, 'patch'));
    }
    // The generator writes "@mg/core": "^<its own version>" into new packages: they move together.
    expect(version(dir, 'create-mg-interface')).toBe(version(dir, 'core'));
    for (const utility of ['errors', 'throttled-error', 'config', 'app-properties', 'embedded-broker']) {
      expect(version(dir, utility)).toBe(before[utility]);
    }
    expect(readFileSync(join(dir, 'packages', 'core', 'CHANGELOG.md'), 'utf8')).toContain('A new option.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
