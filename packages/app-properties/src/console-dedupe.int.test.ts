// A WARN record appears once where standard output and standard error are the same place (a
// terminal, `2>&1`, `>run.log 2>run.log`), and on both where they are apart (each output keeps
// its full content). Real child processes, their outputs opened as a shell would.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = join(__dirname, '..', 'dist', 'index.js');
const script = (consolelevel = 'info') => `
const { createLogging } = require(${JSON.stringify(dist)});
const logging = createLogging({ appName: 'app', settings: { consolelevel: '${consolelevel}', logfilename: '', filelevel: 'none', filenum: 1, filesize: 1, emailhost: '', emailport: 25, emailaddress: '', emailfrom: '', emailuser: '', emailpassword: '', emailsecure: false } });
logging.logger('core').warn('the broker is away');
logging.logger('core').info('connected');
logging.close();
`;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-dedupe-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the script with its outputs on these files. `opens`: 'one' gives both outputs one
 * descriptor (`>f 2>&1`); 'two' opens the file once for each (`>f 2>f`, each with its own offset).
 */
function run(stdoutPath: string, stderrPath: string, opens: 'one' | 'two' = 'one', consolelevel?: string): void {
  const out = openSync(stdoutPath, opens === 'two' ? 'w' : 'a');
  const err = stderrPath === stdoutPath && opens === 'one' ? out : openSync(stderrPath, opens === 'two' ? 'w' : 'a');
  const child = spawnSync(process.execPath, ['-e', script(consolelevel)], { stdio: ['ignore', out, err] });
  closeSync(out);
  if (err !== out) closeSync(err);
  expect(child.status).toBe(0);
}

it('prints a WARN line once when both outputs go to the same file', () => {
  const both = join(dir, 'both.log');
  run(both, both);
  const text = readFileSync(both, 'utf8');
  expect(text.match(/the broker is away/g)).toHaveLength(1);
  expect(text.match(/connected/g)).toHaveLength(1);
});

it('prints each line once, whole and in order, when both outputs open the same file apart (>f 2>f)', () => {
  const both = join(dir, 'both.log');
  run(both, both, 'two');
  expect(readFileSync(both, 'utf8')).toMatch(/^\S+ \S+ app\.core WARN: the broker is away\n\S+ \S+ app\.core INFO: connected\n$/);
});

it('still prints a WARN line once there when the console level is above WARN', () => {
  const both = join(dir, 'both.log');
  run(both, both, 'two', 'error');
  expect(readFileSync(both, 'utf8')).toMatch(/^\S+ \S+ app\.core WARN: the broker is away\n$/);
});

it('keeps it on both outputs when they go to different places', () => {
  run(join(dir, 'out.log'), join(dir, 'err.log'));
  expect(readFileSync(join(dir, 'out.log'), 'utf8')).toMatch(/WARN: the broker is away[\s\S]*INFO: connected/);
  expect(readFileSync(join(dir, 'err.log'), 'utf8')).toMatch(/WARN: the broker is away/);
});
