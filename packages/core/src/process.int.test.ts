import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, startMosquitto, waitFor, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { mqttLines } from './test-support/gateway-harness.js';

// Availability is retained: each wait below takes only live messages (retain flag off), never
// the value a previous test left on the broker.
// A real gateway child process (test/fixtures/echo-gateway.js, on the built package) against a
// private broker: what a user sees when the gateway is killed or stopped by a service manager.
const SCRIPT = join(__dirname, '..', 'test', 'fixtures', 'echo-gateway.js');
const ROOT = 'testmqttgtw';
const AVAILABILITY = `${ROOT}/echo2mqtt/availability`;

let broker: Mosquitto;
let client: TestClient;
let dir: string;
let child: ChildProcess | undefined;
let output = '';

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker.dispose();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mg-proc-'));
  client = await connectClient(broker.url);
  output = '';
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

function launch(extra: string[] = []): ChildProcess {
  const conf = join(dir, 'echo2mqtt.conf');
  writeFileSync(conf, [...mqttLines(broker.url, { clean: 'off', subqos: 1, pubqos: 1 }), '[LOG]', 'consolelevel: INFO', ...extra].join('\n'));
  const p = spawn(process.execPath, [SCRIPT, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  p.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  child = p;
  return p;
}

const exitOf = (p: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve({ code: p.exitCode, signal: p.signalCode });
    else p.once('exit', (code, signal) => resolve({ code, signal }));
  });

it('kill -9: the broker publishes the last will "offline"; a restart says "online" and gets the commands sent meanwhile', async () => {
  await client.subscribe(AVAILABILITY, 1);
  await client.subscribe(`${ROOT}/+/+/+/+/+/S`, 1);
  const first = launch();
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'online' && !m.retain, 'online');
  await waitFor(() => output.includes('subscribed to'), 'the subscriptions');
  first.kill('SIGKILL');
  await exitOf(first);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'offline' && !m.retain, 'the last will');
  // QoS 1 commands while the gateway is down wait in its persistent session.
  await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on', { qos: 1 });
  client.messages.length = 0;
  launch();
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'online' && !m.retain, 'online again');
  const reply = await client.waitFor((m) => m.topic === `${ROOT}/lighting/dummy/office/lamp/echo2mqtt/S`, 'the reply to the queued command');
  expect(JSON.parse(reply.payload)).toMatchObject({ action: 'light_on', response: 'OK' });
});

it('SIGTERM: stop() output is published, then "offline", and the exit code is 0', async () => {
  await client.subscribe(`${ROOT}/#`, 1);
  const p = launch(['[INTERFACE]', 'onstop: 50']);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'online' && !m.retain, 'online');
  p.kill('SIGTERM');
  expect(await exitOf(p)).toEqual({ code: 0, signal: null });
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'offline' && !m.retain, 'offline');
  const statuses = client.messages.filter((m) => /\/office\/d\d+\/echo2mqtt\/S$/.test(m.topic));
  expect(statuses).toHaveLength(50);
  expect(statuses.every((m) => m.payload === 'light_off')).toBe(true);
  expect(output).toMatch(/SIGTERM received: stopping/);
  expect(output).toMatch(/stopped; counters \{.*"published":5\d/);
});

it('a missing configuration file is one clear line and a non-zero exit', async () => {
  const p = spawn(process.execPath, [SCRIPT, '-c', join(dir, 'nope.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  expect((await exitOf(p)).code).toBe(1);
  expect(err).toBe(`echo2mqtt: invalid configuration: ${join(dir, 'nope.conf')}: the configuration file does not exist; check the path given with -c/--conf\n`);
});
