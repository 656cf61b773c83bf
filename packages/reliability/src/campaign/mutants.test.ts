import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMutantCore, MUTANTS } from './mutants.js';

describe('a mutant build of @mg/core', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-mutant-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is the built core with the one change, and loads with its dependencies', () => {
    const entry = buildMutantCore('drop-held-messages', dir);
    const m = MUTANTS['drop-held-messages'];
    const changed = readFileSync(join(dir, 'core', 'dist', m.file), 'utf8');
    expect(changed).toContain(m.to);
    expect(changed).not.toContain(m.from);
    // A separate process, as the campaign's gateway loads it: its own dependencies resolve.
    const out = execFileSync(process.execPath, ['-e', `process.stdout.write(typeof require(${JSON.stringify(entry)}).startGateway)`], { encoding: 'utf8' });
    expect(out).toBe('function');
  });
});
