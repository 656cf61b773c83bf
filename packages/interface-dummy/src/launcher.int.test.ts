import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnNode, waitFor } from '@mg/test-helpers';

// The built launcher, as a user runs it.
const LAUNCHER = join(__dirname, '..', 'dist', 'launcher.js');
const PKG = join(__dirname, '..');

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dummy-launch-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}) => spawnNode(LAUNCHER, args, { cwd: dir, env: { ...process.env, ...env } });

it('--check finds the shipped dummy2mqtt.conf and map from an empty directory', async () => {
  const r = run(['--check']);
  expect(await r.exit).toBe(0);
  expect(r.out()).toContain(`configuration file: ${join(PKG, 'dummy2mqtt.conf')}`);
  expect(r.out()).toContain(`map file: ${join(PKG, 'dummy.map.json')}`);
});

it('--version and --help', async () => {
  const v = run(['--version']);
  expect(await v.exit).toBe(0);
  expect(v.out()).toMatch(/^dummy2mqtt \d+\.\d+\.\d+ \(@mg\/core \d+\.\d+\.\d+\)\n$/);
  const h = run(['--help']);
  expect(await h.exit).toBe(0);
  expect(h.out()).toContain('Usage: dummy2mqtt [-c PATH] [--check]');
});

it('refuses a missing [INTERFACE] port at start, and --check names the file, line and option of a bad interval', async () => {
  const conf = join(dir, 'nope.conf');
  writeFileSync(conf, `[MQTT]\nmapping: on\nmapfilename: ${join(PKG, 'dummy.map.json')}\n[INTERFACE]\ninterval: abc\n`);
  const check = run(['--check', '-c', conf]);
  expect(await check.exit).toBe(1);
  expect(check.err()).toContain(`${conf}:5: [INTERFACE] interval = "abc": expected a number >= 0.001`);
  expect(check.err()).toContain(`${conf}: [INTERFACE] port: is required: give the device the interface talks to`);
  const r = run(['-c', conf]);
  expect(await r.exit).toBe(1);
  expect(r.err()).not.toMatch(/\n\s+at /); // no stack trace
});

it('runs with its embedded broker where no broker is, and warns when [MQTT] points elsewhere', async () => {
  const port = await freePort();
  const r = run(['-c', join(PKG, 'demo.conf')], { MG_BROKER_PORT: String(port), MG_MQTT_PORT: String(port), MG_WEB_PORT: '0' });
  try {
    await waitFor(() => /subscribed to testmqttgtw/.test(r.out()), 'the subscriptions');
    expect(r.out()).toContain(`embedded broker listening on mqtt://127.0.0.1:${port}`);
  } finally {
    r.child.kill('SIGTERM');
  }
  expect(await r.exit).toBe(0);
  const other = await freePort();
  const mismatch = run(['-c', join(PKG, 'demo.conf')], { MG_BROKER_PORT: String(other), MG_MQTT_PORT: String(port), MG_WEB_PORT: '0' });
  try {
    await waitFor(() => /but \[MQTT\] connects to/.test(mismatch.err()), 'the mismatch warning');
    expect(mismatch.err()).toContain(`the embedded broker listens on 127.0.0.1:${other} but [MQTT] connects to 127.0.0.1:${port}: the gateway will not use it`);
  } finally {
    mismatch.child.kill('SIGTERM');
  }
  expect(await mismatch.exit).toBe(0);
});
