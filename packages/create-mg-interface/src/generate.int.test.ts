import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, spawnNode, sweepRetained, uniqueRoot, waitFor } from '@mg/test-helpers';
import { generate, NameError } from './index.js';

// Generated inside this package so that @mg/core, TypeScript and jest resolve from the
// workspace without an install; built, tested and run as a user would, then removed.
const GEN = join(__dirname, '..', '.gen');
const bin = (pkg: string, file: string) => join(require.resolve(`${pkg}/package.json`), '..', file);

beforeAll(() => mkdirSync(GEN, { recursive: true }));
afterAll(() => rmSync(GEN, { recursive: true, force: true }));

it.each(['Foo Bar', 'foo_bar', '2fast', 'x--y', '', 'Intercom'])('refuses the name %j with a clear message', (name) => {
  expect(() => generate(name, { parentDir: GEN })).toThrow(NameError);
  expect(() => generate(name, { parentDir: GEN })).toThrow(/is not a valid interface name: use lower-case letters, digits and single dashes/);
});

it('takes "pool2mqtt" for the application: the package pool2mqtt, the interface pool, no 2mqtt2mqtt in any name or file', () => {
  const parent = mkdtempSync(join(GEN, 'names-'));
  const dir = generate('pool2mqtt', { parentDir: parent });
  expect(dir).toBe(join(parent, 'pool2mqtt'));
  const files = readdirSync(dir, { recursive: true }).map(String);
  expect(files).toEqual(expect.arrayContaining(['src/pool-interface.ts', 'src/launcher.ts', 'pool2mqtt.conf', 'pool.map.json', 'pool2mqtt.service']));
  for (const f of files.filter((f) => f.includes('.'))) expect(`${f}: ${readFileSync(join(dir, f), 'utf8')}`).not.toMatch(/2mqtt2mqtt/);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
  expect(pkg).toMatchObject({ name: 'pool2mqtt', bin: { pool2mqtt: './dist/launcher.js' } });
  expect(readFileSync(join(dir, 'src/launcher.ts'), 'utf8')).toContain("appName: 'pool2mqtt'");
  // "pool" makes the same package.
  const again = generate('pool', { parentDir: mkdtempSync(join(GEN, 'names-')) });
  expect(readdirSync(again, { recursive: true }).map(String).sort()).toEqual([...files].sort());
});

it('says what it made, and why the name it was given became two', () => {
  const cwd = mkdtempSync(join(GEN, 'cli-'));
  const out = execFileSync(process.execPath, [join(__dirname, '..', 'dist', 'cli.js'), 'pool2mqtt'], { cwd }).toString();
  expect(out).toContain('"pool2mqtt" is the application\'s name: the device is "pool", the application pool2mqtt.');
  expect(out).toContain('created pool2mqtt: the interface PoolInterface (src/pool-interface.ts) and the application pool2mqtt');
  expect(out).not.toMatch(/2mqtt2mqtt/);
});

it('--profile: a serial2mqtt profile, its configuration, a map and a unit, no code, that serial2mqtt --check accepts', () => {
  const cwd = mkdtempSync(join(GEN, 'profile-'));
  const out = execFileSync(process.execPath, [join(__dirname, '..', 'dist', 'cli.js'), 'pool', '--profile'], { cwd }).toString();
  expect(out).toContain('created pool2mqtt: pool2mqtt, serial2mqtt with a profile and no code');
  expect(out).toMatch(/Modbus.*not generated yet/);
  const dir = join(cwd, 'pool2mqtt');
  expect(readdirSync(dir).sort()).toEqual(['README.md', 'package.json', 'pool.map.json', 'pool.profile.json', 'pool2mqtt.conf', 'pool2mqtt.service']);
  const profile = JSON.parse(readFileSync(join(dir, 'pool.profile.json'), 'utf8')) as Record<string, unknown>;
  expect(profile).toMatchObject({ $schema: './node_modules/@mg/interface-serial/schema/profile.schema.json', name: 'pool' });
  expect(readFileSync(join(dir, 'pool2mqtt.conf'), 'utf8')).toMatch(/\[INTERFACE\][\s\S]*\nport: tcp:\/\/127\.0\.0\.1:4001[\s\S]*profile: pool\.profile\.json/);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
  expect(pkg.dependencies).toEqual({ '@mg/interface-serial': expect.stringMatching(/^\^/) as unknown });
  expect(pkg.scripts.check).toBe('serial2mqtt --check -c pool2mqtt.conf');
  // serial2mqtt itself (the workspace's build) loads the configuration, the map and the profile.
  const check = execFileSync(process.execPath, [bin('@mg/interface-serial', 'dist/launcher.js'), '--check', '-c', join(dir, 'pool2mqtt.conf')]).toString();
  expect(check).toContain(`configuration file: ${join(dir, 'pool2mqtt.conf')}`);
});

it('refuses to overwrite an existing interface', () => {
  const parent = mkdtempSync(join(GEN, 'exists-'));
  generate('lamp', { parentDir: parent, workspace: true });
  expect(() => generate('lamp', { parentDir: parent, workspace: true })).toThrow(/interface-lamp already exists and is not empty/);
});

it('event mode (the default): a declared device on a line transport and a poll scheduler, a simulator, tests with the kit that pass', () => {
  const dir = generate('thermo', { parentDir: mkdtempSync(join(GEN, 'evt-')), workspace: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
  expect(pkg.dependencies).toEqual({ '@mg/core': 'workspace:^', '@mg/device-io': 'workspace:^' });
  expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['build', 'typecheck', 'lint', 'test', 'check']));
  const source = readFileSync(join(dir, 'src/thermo-interface.ts'), 'utf8');
  for (const part of [
    'static describe()',
    "address('",
    'reconnectmin',
    'new LineTransport(',
    'new PollScheduler(',
    'devices.follow(',
    'devices.onPoll(',
    '.ask(',
    'replyWith(',
  ]) {
    expect(source).toContain(part);
  }
  const tests = readFileSync(join(dir, 'src/thermo-interface.test.ts'), 'utf8');
  expect(tests).not.toMatch(/setTimeout|sleep|delay\(/); // waits for events, never for time
  execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit', '--noUnusedLocals', '--noUnusedParameters'], {
    stdio: 'pipe',
  });
  execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', join(dir, 'tsconfig.build.json')], { stdio: 'pipe' });
  const run = execFileSync(process.execPath, [bin('jest', 'bin/jest.js'), '--rootDir', dir, '--ci', '--json'], { cwd: dir, stdio: 'pipe' });
  const report = JSON.parse(run.toString()) as { numPassedTests: number; numFailedTests: number };
  expect(report).toMatchObject({ numPassedTests: 7, numFailedTests: 0 });
  // --check refuses an address that would only fail at start, with the file and line (issue 23).
  const conf = join(dir, 'thermo2mqtt.conf');
  writeFileSync(conf, readFileSync(conf, 'utf8').replace('port: tcp://127.0.0.1:4001', 'port: tcp://127.0.0.1:abc'));
  const check = spawnSync(process.execPath, [join(dir, 'dist', 'launcher.js'), '--check', '-c', conf], { encoding: 'utf8' });
  expect(check.status).toBe(1);
  expect(check.stderr).toMatch(new RegExp(`${conf}:\\d+: \\[INTERFACE\\] port`));
}, 90_000);

it('polling mode: a package that builds, passes its tests, checks its configuration and runs', async () => {
  const dir = generate('knx-ip', { parentDir: mkdtempSync(join(GEN, 'pkg-')), workspace: true, mode: 'polling' });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    bin: Record<string, string>;
    dependencies: Record<string, string>;
  };
  expect(pkg).toMatchObject({ name: '@mg/interface-knx-ip', bin: { 'knx-ip2mqtt': './dist/launcher.js' }, dependencies: { '@mg/core': 'workspace:^' } });
  for (const f of [
    'src/knx-ip-interface.ts',
    'src/launcher.ts',
    'src/knx-ip-interface.test.ts',
    'knx-ip2mqtt.conf',
    'knx-ip.map.json',
    'knx-ip2mqtt.service',
    'README.md',
  ]) {
    expect(readFileSync(join(dir, f), 'utf8').length).toBeGreaterThan(0);
  }
  execFileSync(process.execPath, [bin('typescript', 'bin/tsc'), '-p', join(dir, 'tsconfig.build.json')], { stdio: 'pipe' });
  const tests = execFileSync(process.execPath, [bin('jest', 'bin/jest.js'), '--rootDir', dir, '--ci', '--json'], { cwd: dir, stdio: 'pipe' });
  expect(JSON.parse(tests.toString())).toMatchObject({ numPassedTests: 3, numFailedTests: 0 });
  const check = execFileSync(process.execPath, [join(dir, 'dist', 'launcher.js'), '--check'], { cwd: dir }).toString();
  expect(check).toContain(`configuration file: ${join(dir, 'knx-ip2mqtt.conf')}`);

  // A live run: a command in, the reply out, through the shared broker.
  const root = uniqueRoot('gen');
  const mapPath = join(dir, 'knx-ip.map.json');
  writeFileSync(mapPath, readFileSync(mapPath, 'utf8').replace(/"home/g, `"${root}`));
  const client = await connectClient(SHARED_BROKER_URL);
  await client.subscribe(`${root}/#`);
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const clientId = `gen-${process.pid}`;
  const run = spawnNode(join(dir, 'dist', 'launcher.js'), [], {
    cwd: dir,
    env: { ...process.env, MG_MQTT_HOST: hostname, MG_MQTT_PORT: port || '1883', MG_MQTT_CLIENTID: clientId },
  });
  const gw = run.child;
  try {
    await waitFor(() => /subscribed to/.test(run.output()), 'the generated gateway to subscribe');
    // The device it declares has its availability, next to the gateway's.
    await client.waitFor((m) => m.topic === `${root}/${clientId}/lamp/availability` && m.payload === 'online', "the lamp's availability");
    await client.publish(`${root}/lighting/knx-ip/kitchen/lamp/me/C`, 'light_on');
    const reply = await client.waitFor((m) => m.topic === `${root}/lighting/knx-ip/kitchen/lamp/knx-ip2mqtt/S`, 'the reply');
    expect(JSON.parse(reply.payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'LIGHT_ON done' });
    gw.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  } finally {
    gw.kill('SIGKILL');
    await client.end();
    await sweepRetained([`${root}/#`]);
  }
}, 90_000);
