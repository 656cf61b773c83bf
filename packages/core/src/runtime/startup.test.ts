import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { InterfaceClass } from '../index.js';
import { runGateway, type RunOptions } from './runner.js';
import { PollingEcho } from '../test-support/interfaces.js';
import { address } from '../options.js';
import { DUMMY_MAP_PATH } from '../test-support/fixtures.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-start-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function conf(text: string, name = 'app.conf'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the program without owning the process, and collects what it prints. */
async function run(argv: string[], options: Partial<RunOptions> = {}, Interface: InterfaceClass = PollingEcho) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const handle = await runGateway(
    Interface,
    { appName: 'app', version: '2.0.0', argv, env: {}, launcherDir: dir, ...options },
    { stdout: out, stderr: out, cwd: dir, process: false },
  );
  const code = await handle.done;
  return { handle, code, text };
}

const mapLines = `[MQTT]\nmapping: on\nmapfilename: ${DUMMY_MAP_PATH}\n`;

describe('startGateway before connecting', () => {
  it('prints help and the version', async () => {
    const help = await run(['--help'], { description: 'A test gateway.' });
    expect(help).toMatchObject({ code: 0 });
    expect(help.handle.gateway).toBeUndefined();
    expect(help.text).toContain('Usage: app [-c PATH] [--check]\n\nA test gateway.');
    expect((await run(['-V'])).text).toMatch(/^app 2\.0\.0 \(@mg\/core \d+\.\d+\.\d+\)\n$/);
  });

  it('--check validates configuration and map, prints what it found, and does not connect; exit 2 for warnings', async () => {
    const path = conf(`${mapLines}host: broker.invalid\npassword: s3cret\nhots: typo\n`);
    const { code, text, handle } = await run(['--check', '-c', path]);
    expect(code).toBe(2);
    expect(handle.gateway).toBeUndefined();
    expect(text).toContain('app 2.0.0: configuration and map are valid');
    expect(text).toContain(`configuration file: ${path}`);
    expect(text).toContain(`map file: ${DUMMY_MAP_PATH}`);
    expect(text).toContain('subscriptions: testmqttgtw/+/dummy/+/+/+/C, testmqttgtw/dummyfunction/+/+/+/+/C');
    expect(text).toContain('vocabulary: function loose, gateway strict, location loose, device none, sender none, action strict, argkey none, argvalue none');
    expect(text).toContain('broker: mqtt://broker.invalid:1883 as "app"');
    expect(text).toContain('availability: testmqttgtw/app/availability');
    expect(text).toContain(`warning: ${path}:6: unknown option "hots" in [MQTT]; did you mean "host"? it is ignored`);
    expect(text).toContain('[MQTT] password = ********');
    expect(text).not.toContain('s3cret');
  });

  it('finds <app>.conf in the working directory by default', async () => {
    conf(mapLines);
    const { code, text } = await run(['--check']);
    expect(text).toContain(`configuration file: ${join(dir, 'app.conf')}`);
    expect(code).toBe(0);
  });

  it.each<[string, string, RegExp]>([
    ['a missing configuration file', '', /\/app\.conf: no configuration file found there; give one with -c PATH/],
    ['a bad value', '[MQTT]\nport: 99999\n', /app\.conf:2: \[MQTT\] port = "99999": expected an integer from 1 to 65535/],
    ['a missing map file', '[MQTT]\nmapping: on\nmapfilename: nope.json\n', /map file .*\/nope\.json does not exist/],
    ['a password file that is missing', '[MQTT]\npasswordfile: secret.txt\n', /\[MQTT\] passwordfile: file .*\/secret\.txt does not exist/],
    ['a CA file that is missing', '[MQTT]\nprotocol: mqtts\ncafile: /nonexistent/ca.pem\n', /\[MQTT\] cafile: file \/nonexistent\/ca\.pem does not exist/],
  ])('refuses to start with %s, with a clear message', async (_name, text, message) => {
    if (text) conf(text);
    await expect(run(['--check'])).rejects.toThrow(message);
  });

  it('refuses a missing configuration file with a ConfigError a caller can branch on', async () => {
    await expect(run(['--check'])).rejects.toMatchObject({ name: 'ConfigError', code: 'CONFIG_FILE_MISSING' });
  });

  it('names the JSON path of a broken map file', async () => {
    const map = join(dir, 'bad.map.json');
    writeFileSync(map, JSON.stringify({ root: 'r', topics: ['r/#'], action: { maptype: 'strict' } }));
    conf(`[MQTT]\nmapping: on\nmapfilename: bad.map.json\n`);
    await expect(run(['--check'])).rejects.toThrow(`map file ${map} is not a valid map:\n  $.action.map: is required when maptype is "strict"`);
  });

  it('refuses an interface with neither loop() nor start()', async () => {
    conf(mapLines);
    class Nothing {}
    await expect(run([], {}, Nothing as unknown as InterfaceClass)).rejects.toThrow(
      'interface Nothing has neither loop() (polling) nor start() (event-driven)',
    );
  });

  it('takes environment overrides and reads the password from a file', async () => {
    writeFileSync(join(dir, 'pw.txt'), 'from-file\nignored second line\n');
    conf(`${mapLines}passwordfile: pw.txt\n`);
    const { text } = await run(['--check'], { env: { MG_MQTT_HOST: 'env-broker' } });
    expect(text).toContain('broker: mqtt://env-broker:1883');
    expect(text).toContain('[MQTT] host = "env-broker" (environment variable MG_MQTT_HOST)');
  });

  it('subscribes through a shared group when asked', async () => {
    conf(`${mapLines}sharedgroup: gateways\n`);
    expect((await run(['--check'])).text).toContain('subscriptions: $share/gateways/testmqttgtw/+/dummy/+/+/+/C');
  });

  it('--check exits 1 on a device address that would only fail at start, naming file and line', async () => {
    class Pool extends PollingEcho {
      static readonly options = { port: address('', 'The pool controller.', { required: 'e.g. "port: tcp://192.168.1.30:4001"' }) };
    }
    const path = conf(`${mapLines}[INTERFACE]\nport: tcp://127.0.0.1:abc\n`);
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const handle = await runGateway(
      Pool,
      { appName: 'app', argv: ['--check', '-c', path], env: {}, launcherDir: dir },
      { stdout: out, stderr: out, cwd: dir, process: true },
    );
    const code = await handle.done;
    process.exitCode = undefined; // the program set it: the test process must not inherit it
    expect(code).toBe(1);
    expect(text).toContain(`${path}:5: [INTERFACE] port = "tcp://127.0.0.1:abc": the port "abc" is not a number: expected tcp://host:port, host:port`);
    conf(`${mapLines}[INTERFACE]\nport: 127.0.0.1:47259\n`);
    expect((await run(['--check', '-c', path], {}, Pool)).text).toContain('[INTERFACE] port = "tcp://127.0.0.1:47259"');
  });

  it('rejects unknown command line arguments', async () => {
    await expect(run(['--frobnicate'])).rejects.toThrow(/Unknown option '--frobnicate'; try --help/);
  });
});

it('prints the stack of a start failure under MG_DEBUG in the environment it was given, not the process one', async () => {
  const failure = async (env: Record<string, string>) => {
    const err = new PassThrough();
    let text = '';
    err.on('data', (d: Buffer) => (text += d.toString()));
    const handle = await runGateway(
      PollingEcho,
      { appName: 'app', argv: ['--nosuchflag'], env, launcherDir: dir },
      { stdout: err, stderr: err, cwd: dir, process: true },
    );
    const code = await handle.done;
    process.exitCode = undefined; // the program set it: the test process must not inherit it
    return { code, stack: /\n\s+at /.test(text) };
  };
  expect(await failure({ MG_DEBUG: '1' })).toEqual({ code: 1, stack: true });
  expect(await failure({})).toEqual({ code: 1, stack: false });
});
