import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogging } from './index.js';
import { baseSettings, capture } from './test-support/logging.js';

const base = baseSettings;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('console outputs', () => {
  it('always writes WARN and above to stderr, even with the console off', async () => {
    const out = capture();
    const err = capture();
    const logging = createLogging({ appName: 'app', settings: base, stdout: out.stream, stderr: err.stream });
    const log = logging.logger('core');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.critical('c');
    await logging.close();
    expect(out.lines()).toEqual([]);
    expect(err.lines().map((l) => l.replace(/^\S+ \S+ /, ''))).toEqual(['app.core WARN: w', 'app.core ERROR: e', 'app.core CRITICAL: c']);
    expect(err.lines()[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} app\.core WARN: w$/);
  });

  it('writes to stdout from consolelevel up', async () => {
    const out = capture();
    const err = capture();
    const logging = createLogging({ appName: 'app', settings: { ...base, consolelevel: 'info' }, stdout: out.stream, stderr: err.stream });
    const log = logging.logger('gw');
    log.debug('hidden');
    log.info('shown');
    log.error('both');
    await logging.close();
    expect(out.lines().map((l) => l.split(' ').slice(2).join(' '))).toEqual(['app.gw INFO: shown', 'app.gw ERROR: both']);
    expect(err.lines()).toHaveLength(1);
  });

  it('tells whether a level goes anywhere, so hot paths build no record for nothing', async () => {
    const quiet = createLogging({ appName: 'a', settings: base, stdout: capture().stream, stderr: capture().stream });
    expect(quiet.logger('x').isLevelEnabled('debug')).toBe(false);
    expect(quiet.logger('x').isLevelEnabled('info')).toBe(false);
    expect(quiet.logger('x').isLevelEnabled('warn')).toBe(true);
    const verbose = createLogging({ appName: 'a', settings: { ...base, consolelevel: 'debug' }, stdout: capture().stream, stderr: capture().stream });
    expect(verbose.logger('x').child('y').isLevelEnabled('debug')).toBe(true);
    await Promise.all([quiet.close(), verbose.close()]);
  });

  it('gives children dotted names on the same outputs', async () => {
    const out = capture();
    const logging = createLogging({ appName: 'app', settings: { ...base, consolelevel: 'debug' }, stdout: out.stream, stderr: capture().stream });
    const child = logging.logger('core').child('mqtt');
    expect(child.name).toBe('app.core.mqtt');
    child.debug('hello');
    logging.logger('').info('root');
    await logging.close();
    expect(out.lines().map((l) => l.split(' ').slice(2).join(' '))).toEqual(['app.core.mqtt DEBUG: hello', 'app INFO: root']);
  });
});

describe('rotating log files', () => {
  it('writes at filelevel and keeps filenum old files when the size is passed', async () => {
    const file = join(dir, 'logs', 'app.log');
    const logging = createLogging({
      appName: 'app',
      settings: { ...base, logfilename: file, filelevel: 'debug', filesize: 1, filenum: 2 },
      stderr: capture().stream,
    });
    const log = logging.logger('core');
    // ~110 bytes a record, 1 KB a file: 60 records need 7 files, only 3 may stay.
    for (let i = 0; i < 60; i++) log.debug(`record ${String(i).padStart(3, '0')} ${'x'.repeat(60)}`);
    await logging.close();
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    for (const f of files) expect(readFileSync(join(dir, 'logs', f)).length).toBeLessThanOrEqual(1024);
    // The current file has the newest records, .1 the ones just before, and nothing is lost
    // in between: the three files hold an unbroken run of records ending with the last one.
    const numbers = ['app.log.2', 'app.log.1', 'app.log']
      .flatMap((f) =>
        readFileSync(join(dir, 'logs', f), 'utf8')
          .split('\n')
          .filter(Boolean),
      )
      .map((l) => Number(/record (\d+)/.exec(l)![1]));
    expect(numbers[numbers.length - 1]).toBe(59);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers[0]).toBeGreaterThan(0);
  });

  it('appends to an existing file and truncates instead of rotating when filenum is 0', async () => {
    const file = join(dir, 'app.log');
    const settings = { ...base, logfilename: file, filesize: 1, filenum: 0 };
    const first = createLogging({ appName: 'app', settings, stderr: capture().stream });
    first.logger('x').info('first run');
    await first.close();
    const second = createLogging({ appName: 'app', settings, stderr: capture().stream });
    second.logger('x').info('second run');
    expect(readFileSync(file, 'utf8')).toMatch(/first run[^]*second run/);
    for (let i = 0; i < 30; i++) second.logger('x').info('y'.repeat(100));
    await second.close();
    expect(readdirSync(dir)).toEqual(['app.log']);
    expect(readFileSync(file).length).toBeLessThanOrEqual(1024);
  });

  it('leaves records below filelevel out of the file', async () => {
    const file = join(dir, 'app.log');
    const logging = createLogging({ appName: 'app', settings: { ...base, logfilename: file, filelevel: 'warn' }, stderr: capture().stream });
    logging.logger('x').info('not in file');
    logging.logger('x').warn('in file');
    await logging.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('app.x WARN: in file');
    expect(text).not.toContain('not in file');
  });
});
