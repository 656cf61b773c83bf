import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, spawnNode, uniqueRoot, waitFor } from '@mg/test-helpers';

// "Install only what you need", for real: every package is published to a verdaccio registry
// on loopback (third-party packages proxied from the usual registry), then installed with
// plain npm in empty directories outside the workspace.
const REPO = join(__dirname, '..', '..', '..');
const WORK = mkdtempSync(join(tmpdir(), 'mg-install-'));
let registry: ChildProcess;
let url = '';
let npmrc = '';

// Run under pnpm, the environment carries npm_config_* variables (the registry among them)
// that would win over our .npmrc: the children get a clean environment and explicit flags.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
const npm = (cwd: string, args: string[]) =>
  execFileSync(
    'npm',
    [...args, '--registry', url, '--userconfig', npmrc, '--cache', join(WORK, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel', 'error'],
    {
      cwd,
      env: cleanEnv,
      stdio: 'pipe',
      timeout: 240_000,
    },
  ).toString();

function project(name: string): string {
  const dir = join(WORK, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${name}`, version: '1.0.0', private: true }));
  return dir;
}

/** Every package name in an installed tree (`npm ls --all`). */
function tree(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> | undefined) => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      names.add(name);
      walk(d.dependencies as never);
    }
  };
  walk((JSON.parse(npm(dir, ['ls', '--all', '--json'])) as { dependencies?: never }).dependencies);
  return names;
}

beforeAll(async () => {
  const storage = join(WORK, 'registry');
  mkdirSync(storage);
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { env: cleanEnv }).toString().trim();
  registry = spawn(process.execPath, [join(__dirname, '..', 'test', 'registry.js'), storage, upstream], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  registry.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  registry.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => /READY \d+/.test(out), `verdaccio to start: ${out}`, 30_000);
  url = `http://127.0.0.1:${/READY (\d+)/.exec(out)![1]}/`;
  const res = await fetch(`${url}-/user/org.couchdb.user:mgtest`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'mgtest', password: 'mgtest-password' }),
  });
  const { token } = (await res.json()) as { token: string };
  npmrc = join(WORK, '.npmrc');
  writeFileSync(npmrc, `registry=${url}\n${url.replace(/^http:/, '')}:_authToken=${token}\n`);
  // pnpm turns workspace:^ into real versions while it publishes.
  execFileSync('pnpm', ['publish', '-r', '--no-git-checks', '--registry', url], {
    cwd: REPO,
    stdio: 'pipe',
    env: { ...cleanEnv, npm_config_userconfig: npmrc },
    timeout: 240_000,
  });
}, 300_000);

afterAll(() => {
  registry?.kill('SIGTERM');
  rmSync(WORK, { recursive: true, force: true });
});

it('publishes every public package, with real versions instead of workspace ranges', async () => {
  for (const name of [
    '@mg/errors',
    '@mg/throttled-error',
    '@mg/backoff',
    '@mg/config',
    '@mg/app-properties',
    '@mg/core',
    '@mg/homeassistant',
    '@mg/homie',
    '@mg/web',
    '@mg/device-io',
    '@mg/embedded-broker',
    '@mg/interface-dummy',
    '@mg/interface-serial',
    '@mg/interface-modbus',
    'create-mg-interface',
  ]) {
    const meta = (await (await fetch(`${url}${name.replace('/', '%2f')}`)).json()) as { versions: Record<string, { dependencies?: Record<string, string> }> };
    const latest = Object.values(meta.versions).pop()!;
    expect(JSON.stringify(latest.dependencies ?? {})).not.toContain('workspace:');
  }
  const privateOne = await fetch(`${url}@mg%2ftest-helpers`);
  expect(privateOne.status).toBe(404);
}, 60_000);

it('npm install @mg/throttled-error brings no MQTT, logging or configuration library', () => {
  const dir = project('throttled');
  npm(dir, ['install', '@mg/throttled-error']);
  expect([...tree(dir)].sort()).toEqual(['@mg/errors', '@mg/throttled-error']);
}, 300_000);

it('npm install @mg/config brings ini and zod, and no MQTT', () => {
  const dir = project('config');
  npm(dir, ['install', '@mg/config']);
  const names = tree(dir);
  expect([...names].filter((n) => n.startsWith('@mg/')).sort()).toEqual(['@mg/config', '@mg/errors']);
  expect(names.has('ini') && names.has('zod')).toBe(true);
  expect([...names].some((n) => /mqtt|winston|aedes/.test(n))).toBe(false);
}, 300_000);

it('npm install @mg/interface-dummy: dummy2mqtt --check, then its smoke test against the broker', () => {
  const dir = project('dummy');
  npm(dir, ['install', '@mg/interface-dummy']);
  const mg = [...tree(dir)].filter((n) => n.startsWith('@mg/')).sort();
  expect(mg).toEqual([
    '@mg/app-properties',
    '@mg/backoff',
    '@mg/config',
    '@mg/core',
    '@mg/embedded-broker',
    '@mg/errors',
    '@mg/homeassistant',
    '@mg/homie',
    '@mg/interface-dummy',
    '@mg/throttled-error',
    '@mg/web',
  ]);
  const check = execFileSync(join(dir, 'node_modules', '.bin', 'dummy2mqtt'), ['--check'], { cwd: dir, env: cleanEnv }).toString();
  expect(check).toContain('dummy2mqtt 0.1.0: configuration and map are valid');
  // The conventions it ships load from the installed tree (off until their sections turn them on).
  expect(check).toContain('devices: dummy (mute)');
  // The page @mg/web serves is in its package (files), not only in the repository.
  expect(existsSync(join(dir, 'node_modules', '@mg', 'web', 'public', 'index.html'))).toBe(true);
  expect(check).toContain('conventions: [HOMEASSISTANT], [HOMIE], [WEB]');
  const smoke = execFileSync(join(dir, 'node_modules', '.bin', 'dummy2mqtt-smoke'), { cwd: dir, env: cleanEnv, timeout: 60_000 }).toString();
  expect(smoke).toContain('smoke: all checks passed');
}, 300_000);

it('npm install @mg/interface-serial alone: serialport loads, and serial2mqtt --check loads a profile next to its configuration', () => {
  const dir = project('serial');
  npm(dir, ['install', '@mg/interface-serial']);
  const names = tree(dir);
  expect([...names].filter((n) => n.startsWith('@mg/')).sort()).toEqual([
    '@mg/app-properties',
    '@mg/backoff',
    '@mg/config',
    '@mg/core',
    '@mg/device-io',
    '@mg/errors',
    '@mg/homeassistant',
    '@mg/homie',
    '@mg/interface-serial',
    '@mg/throttled-error',
    '@mg/web',
  ]);
  expect(names.has('serialport') && names.has('zod')).toBe(true);
  expect([...names].some((n) => /aedes|embedded-broker/.test(n))).toBe(false);
  // serialport's native part, from the prebuilt binaries in its package (nothing compiled).
  const loaded = execFileSync(process.execPath, ['-e', "process.stdout.write(typeof require('serialport').SerialPort)"], {
    cwd: dir,
    env: cleanEnv,
  }).toString();
  expect(loaded).toBe('function');
  // A profile of the user's own, next to the configuration in another directory.
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  const shipped = JSON.parse(readFileSync(join(dir, 'node_modules', '@mg', 'interface-serial', 'profiles', 'denon-avr.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(join(etc, 'living-room.json'), JSON.stringify({ ...shipped, $schema: undefined, name: 'living-room' }));
  writeFileSync(
    join(etc, 'serial2mqtt.conf'),
    '[INTERFACE]\nport: /dev/ttyUSB0\nprofile: living-room.json\ndevice: Receiver\n[MQTT]\nmapping: on\nmapfilename: serial2mqtt.map.json\n',
  );
  const bin = join(dir, 'node_modules', '.bin', 'serial2mqtt');
  const check = execFileSync(bin, ['--check', '-c', join(etc, 'serial2mqtt.conf')], { cwd: dir, env: cleanEnv }).toString();
  expect(check).toMatch(/^serial2mqtt \d+\.\d+\.\d+: configuration and map are valid/);
  expect(check).toContain(`map file: ${join(dir, 'node_modules', '@mg', 'interface-serial', 'serial2mqtt.map.json')}`);
  expect(check).toContain('[INTERFACE] profile = "living-room.json"');
  expect(check).toContain('conventions: [HOMEASSISTANT], [HOMIE], [WEB]');
  // The same with a broken profile: exit 1, the JSON path named.
  writeFileSync(join(etc, 'living-room.json'), JSON.stringify({ ...shipped, $schema: undefined, spacingMs: -1 }));
  let failed: { status?: number; stderr?: Buffer } = {};
  try {
    execFileSync(bin, ['--check', '-c', join(etc, 'serial2mqtt.conf')], { cwd: dir, env: cleanEnv, stdio: 'pipe' });
  } catch (err) {
    failed = err as typeof failed;
  }
  expect(failed.status).toBe(1);
  expect(failed.stderr?.toString()).toContain(`${join(etc, 'living-room.json')}: invalid profile, 1 problem:\n  spacingMs:`);
}, 300_000);

it('npm install @mg/interface-modbus alone: modbus2mqtt --check passes a shipped profile and names what is wrong in a broken one', () => {
  const dir = project('modbus');
  npm(dir, ['install', '@mg/interface-modbus']);
  const names = tree(dir);
  expect([...names].filter((n) => n.startsWith('@mg/')).sort()).toEqual([
    '@mg/app-properties',
    '@mg/backoff',
    '@mg/config',
    '@mg/core',
    '@mg/device-io',
    '@mg/errors',
    '@mg/homeassistant',
    '@mg/homie',
    '@mg/interface-modbus',
    '@mg/throttled-error',
    '@mg/web',
  ]);
  expect(names.has('modbus-serial') && names.has('zod')).toBe(true);
  expect([...names].some((n) => /aedes|embedded-broker|interface-serial/.test(n))).toBe(false);
  // The example configuration shipped with the SDM630 profile, copied by the user as it is.
  const pkg = join(dir, 'node_modules', '@mg', 'interface-modbus');
  const etc = join(dir, 'etc');
  mkdirSync(etc);
  writeFileSync(join(etc, 'modbus2mqtt.conf'), readFileSync(join(pkg, 'examples', 'eastron-sdm630.conf')));
  const bin = join(dir, 'node_modules', '.bin', 'modbus2mqtt');
  const check = execFileSync(bin, ['--check', '-c', join(etc, 'modbus2mqtt.conf')], { cwd: dir, env: cleanEnv }).toString();
  expect(check).toMatch(/^modbus2mqtt \d+\.\d+\.\d+: configuration and map are valid/);
  expect(check).toMatch(/devices: meter \(voltage-l1, .*total-energy\)/);
  expect(check).toContain('conventions: [HOMEASSISTANT], [HOMIE], [WEB]');
  // A second unit with a profile of the user's next to the configuration, then the same profile broken.
  const board = JSON.parse(readFileSync(join(pkg, 'profiles', 'generic-relay-board.json'), 'utf8')) as { points: Array<Record<string, unknown>> };
  writeFileSync(join(etc, 'garage-board.json'), JSON.stringify({ ...board, $schema: undefined, name: 'garage-board' }));
  writeFileSync(
    join(etc, 'modbus2mqtt.conf'),
    '[INTERFACE]\naddress: tcp://192.168.1.50:502\ndevices: meter:1:eastron-sdm630, garage:2:garage-board.json\n[MQTT]\nhost: 127.0.0.1\n',
  );
  const both = execFileSync(bin, ['--check', '-c', join(etc, 'modbus2mqtt.conf')], { cwd: dir, env: cleanEnv }).toString();
  expect(both).toContain('garage (relay1, relay2, relay3, relay4, input1');
  board.points[4] = { ...board.points[4], address: 70000 };
  writeFileSync(join(etc, 'garage-board.json'), JSON.stringify({ ...board, $schema: undefined, name: 'garage-board' }));
  let failed: { status?: number; stderr?: Buffer } = {};
  try {
    execFileSync(bin, ['--check', '-c', join(etc, 'modbus2mqtt.conf')], { cwd: dir, env: cleanEnv, stdio: 'pipe' });
  } catch (err) {
    failed = err as typeof failed;
  }
  expect(failed.status).toBe(1);
  const message = failed.stderr?.toString() ?? '';
  expect(message).toContain(`garage (unit 2): ${join(etc, 'garage-board.json')}: invalid profile`);
  expect(message).toContain('points[4].address: 70000 is not a protocol address');
}, 300_000);

it('npm install @mg/core alone runs a 20-line gateway in plain JavaScript', async () => {
  const dir = project('core');
  npm(dir, ['install', '@mg/core']);
  const root = uniqueRoot('inst');
  writeFileSync(
    join(dir, 'ok2mqtt.js'),
    `const { startGateway } = require('@mg/core');

class OkInterface {
  constructor(ctx) {
    this.ctx = ctx;
  }
  loop() {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (msg.isCmd) this.ctx.outgoing.push(msg.reply('OK', 'done ' + msg.action));
    }
  }
}

startGateway(OkInterface, { appName: 'ok2mqtt', version: '1.0.0' });
`,
  );
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  writeFileSync(
    join(dir, 'ok2mqtt.conf'),
    `[MQTT]\nhost: ${hostname}\nport: ${port || 1883}\nroot: ${root}\ntopics: ${root}/+/+/+/+/+/C\n[LOG]\nconsolelevel: INFO\n`,
  );
  const client = await connectClient(SHARED_BROKER_URL);
  await client.subscribe(`${root}/#`);
  const run = spawnNode('ok2mqtt.js', [], { cwd: dir, env: cleanEnv });
  const gw = run.child;
  try {
    await waitFor(() => /subscribed to/.test(run.output()), 'the gateway to subscribe', 20_000);
    await client.publish(`${root}/lighting//kitchen/lamp/me/C`, 'light_on');
    const reply = await client.waitFor((m) => m.topic === `${root}/lighting//kitchen/lamp/ok2mqtt/S`, 'the reply');
    expect(JSON.parse(reply.payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'done light_on' });
    expect(readFileSync(join(dir, 'ok2mqtt.js'), 'utf8').trim().split('\n').length).toBeLessThanOrEqual(20);
  } finally {
    gw.kill('SIGTERM');
    await client.end();
  }
}, 120_000);

it('npm create mg-interface makes a package that installs, builds and passes its tests outside the workspace', () => {
  const dir = join(WORK, 'create');
  mkdirSync(dir);
  npm(dir, ['create', 'mg-interface', 'porch-light', '--yes']);
  const pkgDir = join(dir, 'porch-light2mqtt');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
  expect(pkg.name).toBe('porch-light2mqtt');
  expect(pkg.dependencies['@mg/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
  npm(pkgDir, ['install']);
  npm(pkgDir, ['run', 'build']);
  npm(pkgDir, ['test']);
  expect(npm(pkgDir, ['run', 'check'])).toContain('porch-light2mqtt 0.1.0: configuration and map are valid');
}, 400_000);
