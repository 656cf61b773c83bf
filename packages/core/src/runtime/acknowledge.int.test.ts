// `[MQTT] acknowledge` against a gateway killed -9: a real gateway process
// (test/fixtures/recording-gateway.js, on the built package) whose interface is stuck with
// commands waiting, on a private Mosquitto, killed and started again with the same session.
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, spawnNode, startMosquitto, waitFor, type LoggedProcess, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { mqttLines } from '../test-support/gateway-harness.js';

const SCRIPT = join(__dirname, '..', '..', 'test', 'fixtures', 'recording-gateway.js');
const ROOT = 'testmqttgtw';
const INCOMING = 5;
const COMMANDS = 20;
// A child process starts slowly on a loaded machine: the waits for it allow 30 s.
jest.setTimeout(90_000);

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
  dir = mkdtempSync(join(tmpdir(), 'mg-ack-'));
  client = await connectClient(broker.url);
});
afterEach(async () => {
  child?.child.kill('SIGKILL');
  child = undefined;
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

const record = () => join(dir, 'delivered.txt');
const stall = () => join(dir, 'stall');
const delivered = () => (existsSync(record()) ? readFileSync(record(), 'utf8').split('\n').filter(Boolean) : []);
const command = (device: string) => `${ROOT}/lighting/dummy/office/${device}/tester/C`;

function launch(clientid: string, acknowledge: string): LoggedProcess {
  const conf = join(dir, 'rec2mqtt.conf');
  const mqtt = mqttLines(broker.url, { clientid, clean: 'off', subqos: 1, incomingsize: INCOMING, statsinterval: 1, acknowledge });
  writeFileSync(conf, [...mqtt, '[LOG]', 'consolelevel: INFO', '[INTERFACE]', `record: ${record()}`, `stall: ${stall()}`].join('\n'));
  child = spawnNode(SCRIPT, ['-c', conf]);
  return child;
}

/**
 * Starts the gateway, makes sure its session has the subscription (a probe command taken), stalls
 * its interface, sends COMMANDS commands (each PUBACKed by the broker), waits until the gateway
 * read what it reads ahead (`readAhead` in the incoming list, its counters say), kills it -9, and
 * starts it again with the interface going: returns the commands the interface took, in order.
 */
async function killWhileStalled(acknowledge: string, readAhead: number): Promise<string[]> {
  const clientid = `rec-${acknowledge}-${process.pid}`;
  const stats = `${ROOT}/${clientid}/stats`;
  await client.subscribe(stats, 0);
  // The gateway's session, subscribed as the gateway subscribes, before it first starts: nothing
  // sent from now on can miss it.
  const session = await connectClient(broker.url, { clientId: clientid, clean: false });
  await session.subscribe(`${ROOT}/+/dummy/+/+/+/C`, 1);
  await session.end();
  const first = launch(clientid, acknowledge);
  await client.publish(command('probe'), 'light_on', { qos: 1 });
  await waitFor(() => delivered().includes('delivered probe'), 'the probe taken', 30_000);
  writeFileSync(stall(), '');
  for (let i = 0; i < COMMANDS; i++) await client.publish(command(`c${i}`), 'light_on', { qos: 1 });
  await client.waitFor((m) => m.topic === stats && (JSON.parse(m.payload) as { delivered: number }).delivered === 1 + readAhead, 'the read-ahead', 30_000);
  first.child.kill('SIGKILL');
  await first.exit;
  unlinkSync(stall());
  const second = launch(clientid, acknowledge);
  // The broker sends one session's messages in order: the last one comes after any sent again.
  await waitFor(() => delivered().at(-1) === `delivered c${COMMANDS - 1}`, 'the last command', 30_000);
  second.child.kill('SIGTERM');
  expect(await second.exit).toBe(0);
  return delivered()
    .slice(1)
    .map((l) => l.replace('delivered ', ''));
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `c${from + i}`);

it('acknowledge: taken — a gateway killed -9 with commands waiting for its interface loses none of them', async () => {
  // One command in the list, not taken: its PUBACK not sent, the client reading nothing more.
  const took = await killWhileStalled('taken', 1);
  expect(took).toEqual(ids(0, COMMANDS));
});

it('acknowledge: received — the commands acknowledged into the incoming list and not taken die with the process', async () => {
  // incomingsize commands in the list (acknowledged), one more held (not acknowledged): the broker
  // sends that one and the rest again, the list's are gone. Documented in docs/flow-control.md.
  const took = await killWhileStalled('received', INCOMING);
  expect(took).toEqual(ids(INCOMING, COMMANDS));
});
