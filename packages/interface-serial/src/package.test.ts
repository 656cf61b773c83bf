import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile, loadProfileFile, shippedProfilePath } from './index.js';

const pkgDir = join(__dirname, '..');
const read = (path: string) => readFileSync(path, 'utf8');
const pkg = JSON.parse(read(join(pkgDir, 'package.json'))) as { dependencies: Record<string, string>; files: string[]; exports: Record<string, unknown>; bin?: unknown };

describe('the @mg/interface-serial package', () => {
  it('depends on the core, the device toolkit, the errors and zod (the core\'s version), nothing else', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@mg/core', '@mg/device-io', '@mg/errors', 'zod']);
    const core = JSON.parse(read(join(pkgDir, '..', 'core', 'package.json'))) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.zod).toBe(core.dependencies.zod);
  });

  it('publishes the profiles, the schema and the reference, and exports the first two', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'profiles', 'schema', 'docs', '!dist/test-support']));
    expect(pkg.exports['./profile.schema.json']).toBe('./schema/profile.schema.json');
    expect(pkg.exports['./profiles/*']).toBe('./profiles/*');
  });

  it('the README shows every Denon command and status as the profile has them', () => {
    const readme = read(join(pkgDir, 'README.md'));
    const denon = loadProfileFile(shippedProfilePath('denon-avr')!).definition;
    for (const [action, command] of Object.entries(denon.commands)) expect(readme).toMatch(new RegExp(`\\| \`${action}\` \\|.*\\| \`${command.send.replace(/[{}]/g, '\\$&')}\``));
    for (const status of denon.statuses) expect(readme).toContain(`| \`${status.action}\` |`);
    for (const query of denon.queries.atStart) expect(readme).toContain(`\`${query}\``);
  });

  it('the README\'s example profile is valid and does what the README says', () => {
    const example = /```json\n([\s\S]*?)```/.exec(read(join(pkgDir, 'README.md')))![1]!;
    const profile = loadProfile(JSON.parse(example), 'README example');
    expect(profile.commandFor('INPUT_SET', { input: 'vga' })).toEqual({ ok: true, line: 'SOURCE 11' });
    expect(profile.commandFor('LAMP_SET', { pct: 7 })).toEqual({ ok: true, line: 'LAMP 007' });
    expect(profile.parseLine('LAMP=1234H')).toEqual({ action: 'LAMP_HOURS', arguments: { hours: 1234 } });
  });

  it('the README\'s validation example is what the loader says', () => {
    const shown = /### Validation[\s\S]*?```text\n([\s\S]*?)\n```/.exec(read(join(pkgDir, 'README.md')))![1]!;
    const broken = {
      name: 'x',
      description: 'y',
      commands: { VOL_SET: { send: 'MV{lvl}', arguments: { level: { type: 'number' } } } },
      statuses: [
        { match: 'PWON', action: 'POWER' },
        { match: 'MUON', action: 'MUTE' },
        { match: 'SI(.+', action: 'INPUT' },
      ],
    };
    expect(() => loadProfile(broken, 'my-device.json')).toThrow(shown);
  });
});
