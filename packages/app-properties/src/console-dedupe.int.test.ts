// A WARN record appears once where standard output and standard error are the same place (a
// terminal, `2>&1`), and on both where they are apart (each output keeps its full content).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = join(__dirname, '..', 'dist', 'index.js');
const script = `
const { createLogging } = require(${JSON.stringify(dist)});
const logging = createLogging({ appName: 'app', settings: { consolelevel: 'info', logfilename: '', filelevel: 'none', filenum: 1, filesize: 1, emailhost: '', emailport: 25, emailaddress: '', emailfrom: '', emailuser: '', emailpassword: '', emailsecure: false } });
logging.logger('core').warn('the broker is away');
logging.logger('core').info('connected');
logging.close();
`;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-dedupe-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(stdoutPath: string, stderrPath: string): void {
  const out = openSync(stdoutPath, 'a');
  const err = stderrPath === stdoutPath ? out : openSync(stderrPath, 'a');
  spawnSync(process.execPath, ['-e', script], { stdio: ['ignore', out, err] });
  closeSync(out);
  if (err !== out) closeSync(err);
}

it('prints a WARN line once when both outputs go to the same file', () => {
  const both = join(dir, 'both.log');
  run(both, both);
  const text = readFileSync(both, 'utf8');
  expect(text.match(/the broker is away/g)).toHaveLength(1);
  expect(text.match(/connected/g)).toHaveLength(1);
});

it('keeps it on both outputs when they go to different places', () => {
  run(join(dir, 'out.log'), join(dir, 'err.log'));
  expect(readFileSync(join(dir, 'out.log'), 'utf8')).toMatch(/WARN: the broker is away[\s\S]*INFO: connected/);
  expect(readFileSync(join(dir, 'err.log'), 'utf8')).toMatch(/WARN: the broker is away/);
});
