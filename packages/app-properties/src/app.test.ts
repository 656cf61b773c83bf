import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { baseSettings } from './test-support/logging.js';
import { createAppProperties, type LogSettings } from './index.js';

let root: string;
let cwd: string;
let launcherDir: string;
let confDir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mg-app-'));
  [cwd, launcherDir, confDir] = ['cwd', 'bin', 'etc'].map((d) => join(root, d)) as [string, string, string];
  for (const d of [cwd, launcherDir, confDir]) mkdirSync(d);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('createAppProperties', () => {
  it('looks for <name>.conf in the working directory, then next to the launcher', () => {
    const app = createAppProperties({ name: 'dummy2mqtt', cwd, launcherDir });
    expect(app.configPath()).toBe(join(cwd, 'dummy2mqtt.conf'));
    writeFileSync(join(launcherDir, 'dummy2mqtt.conf'), '');
    expect(app.configPath()).toBe(join(launcherDir, 'dummy2mqtt.conf'));
    writeFileSync(join(cwd, 'dummy2mqtt.conf'), '');
    expect(app.configPath()).toBe(join(cwd, 'dummy2mqtt.conf'));
    expect(app.configPath(join(confDir, 'x.conf'))).toBe(join(confDir, 'x.conf'));
    expect(app.configCandidates('other.conf')).toEqual([join(cwd, 'other.conf'), join(launcherDir, 'other.conf')]);
  });

  it('looks for files named by options next to the configuration file first', () => {
    const app = createAppProperties({ name: 'dummy2mqtt', cwd, launcherDir });
    const conf = join(confDir, 'dummy2mqtt.conf');
    expect(app.filePath('.', '.map', conf)).toBe(join(confDir, 'dummy2mqtt.map'));
    writeFileSync(join(launcherDir, 'my.map'), '{}');
    expect(app.filePath('my.map', '.map', conf)).toBe(join(launcherDir, 'my.map'));
    expect(app.filePath('maps/', '.map', conf)).toBe(join(confDir, 'maps', 'dummy2mqtt.map'));
  });

  it('starts logging with the log file resolved by the path rules', async () => {
    const app = createAppProperties({ name: 'dummy2mqtt', cwd, launcherDir });
    const settings: LogSettings = { ...baseSettings, logfilename: 'logs/', filenum: 1, filesize: 10 };
    const logging = app.startLogging(settings, join(confDir, 'dummy2mqtt.conf'), { stderr: new PassThrough() });
    logging.logger('core').info('started');
    await logging.close();
    expect(readFileSync(join(confDir, 'logs', 'dummy2mqtt.log'), 'utf8')).toMatch(/dummy2mqtt\.core INFO: started/);
  });

  it('refuses a name that cannot name files', () => {
    expect(() => createAppProperties({ name: 'my app' })).toThrow(/must be letters/);
    expect(() => createAppProperties({ name: '../x' })).toThrow(/must be letters/);
  });
});
