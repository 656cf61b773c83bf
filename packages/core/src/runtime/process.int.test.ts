import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, spawnNode, startMosquitto, type LoggedProcess, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { mqttLines } from '../test-support/gateway-harness.js';

// Availability is retained: each wait below takes only live messages (retain flag off), never
// the value a previous test left on the broker.
// A real gateway child process (test/fixtures/echo-gateway.js, on the built package) against a
// private broker: what a user sees when the gateway is killed or stopped by a service manager.
const SCRIPT = join(__dirname, '..', '..', 'test', 'fixtures', 'echo-gateway.js');
const ROOT = 'testmqttgtw';
const AVAILABILITY = `${ROOT}/echo2mqtt/availability`;
// A child process starts slowly on a loaded machine: the waits for it allow 30 s.
jest.setTimeout(60_000);

let broker: Mosquitto;
let client: TestClient;
let dir: string;
let child: LoggedProcess | undefined;

beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker.dispose();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mg-proc-'));
  client = await connectClient(broker.url);
});
afterEach(async () => {
  child?.child.kill('SIGKILL');
  child = undefined;
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

function launch(extra: string[] = [], mqtt: Record<string, string | number> = {}): LoggedProcess {
  const conf = join(dir, 'echo2mqtt.conf');
  writeFileSync(conf, [...mqttLines(broker.url, { clean: 'off', subqos: 1, pubqos: 1, ...mqtt }), '[LOG]', 'consolelevel: INFO', ...extra].join('\n'));
  child = spawnNode(SCRIPT, ['-c', conf]);
  return child;
}

it('SIGTERM: stop() output is published, then "offline", and the exit code is 0', async () => {
  await client.subscribe(`${ROOT}/#`, 1);
  const p = launch(['[INTERFACE]', 'onstop: 50']);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'online' && !m.retain, 'online', 30_000);
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'offline' && !m.retain, 'offline');
  const statuses = client.messages.filter((m) => /\/office\/d\d+\/echo2mqtt\/S$/.test(m.topic));
  expect(statuses).toHaveLength(50);
  expect(statuses.every((m) => m.payload === 'light_off')).toBe(true);
});

it('a missing configuration file is one clear line and a non-zero exit', async () => {
  const p = spawnNode(SCRIPT, ['-c', join(dir, 'nope.conf')]);
  expect(await p.exit).toBe(1);
  expect(p.err()).toBe(
    `echo2mqtt: invalid configuration: ${join(dir, 'nope.conf')}: the configuration file does not exist; check the path given with -c/--conf\n`,
  );
});

it('a device timer that throws, wrapped in ctx.contain, is counted and the gateway goes on', async () => {
  await client.subscribe(`${ROOT}/echo2mqtt/stats`, 0);
  const p = launch(['[INTERFACE]', 'timerfault: contained'], { statsinterval: 1 });
  const stats = await client.waitFor(
    (m) => m.topic === `${ROOT}/echo2mqtt/stats` && (JSON.parse(m.payload) as { interfaceErrors: number }).interfaceErrors > 5,
    'errors counted in the stats',
    30_000,
  );
  expect(p.child.exitCode).toBeNull();
  expect(stats.payload).toContain('"interfaceErrors"');
  expect(p.err().match(/read timer threw: serial read failed in a timer/g)).toHaveLength(1); // throttled
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
});

it('one that is not contained ends in one CRITICAL line, "offline" and exit code 1, no stack trace', async () => {
  await client.subscribe(AVAILABILITY, 1);
  const p = launch(['[INTERFACE]', 'timerfault: uncontained']);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'online' && !m.retain, 'online', 30_000);
  await client.publish(`${ROOT}/lighting/dummy/office/lamp/t/C`, 'light_on'); // arms the fault: after online, not 300 ms after start
  expect(await p.exit).toBe(1);
  await client.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'offline' && !m.retain, 'offline, published by the gateway itself');
  const critical = p
    .err()
    .split('\n')
    .filter((l) => l.includes('CRITICAL'));
  expect(critical).toEqual([
    expect.stringMatching(/CRITICAL: unexpected error, the gateway stops \(the supervisor should restart it\): serial read failed in a timer$/),
  ]);
  expect(p.err()).not.toMatch(/\n\s+at /);
});
