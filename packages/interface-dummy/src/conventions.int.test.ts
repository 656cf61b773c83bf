import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectClient,
  discoveryProblems,
  homieSchemaErrors,
  SHARED_BROKER_URL,
  spawnNode,
  sweepRetained,
  type TestClient,
  uniqueRoot,
  waitFor,
} from '@mg/test-helpers';

// dummy2mqtt as users run it (the built launcher, the shipped map) with both conventions on,
// watched by an MQTT client playing Home Assistant and a Homie controller. What is checked
// against is theirs: Home Assistant's key table and required keys, node-homie's JSON Schema.
jest.setTimeout(30_000);

const LAUNCHER = join(__dirname, '..', 'dist', 'launcher.js');
const MAP = join(__dirname, '..', 'dummy.map.json');

const id = uniqueRoot('dummyconv');
const HA = `ha-${id}`;
const HOMIE = `homie-${id}`;
const CLIENT_ID = `dummy-${id}`;
const FILTERS = [`${HA}/#`, `${HOMIE}/#`, `testmqttgtw/${CLIENT_ID}/#`];
let dir: string;
let gateway: ReturnType<typeof spawnNode>;
let watcher: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dummy-conv-'));
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  writeFileSync(
    join(dir, 'dummy2mqtt.conf'),
    [
      '[INTERFACE]',
      'port: /dev/ttyDUMMY',
      'interval: 3600',
      '[MQTT]',
      `host: ${hostname}`,
      `port: ${port}`,
      `clientid: ${CLIENT_ID}`,
      'mapping: on',
      `mapfilename: ${MAP}`,
      '[HOMEASSISTANT]',
      'discovery: on',
      `prefix: ${HA}`,
      '[HOMIE]',
      'enabled: on',
      `prefix: ${HOMIE}`,
      '[LOG]',
      'consolelevel: INFO',
      '',
    ].join('\n'),
  );
  watcher = await connectClient(SHARED_BROKER_URL);
  await watcher.subscribe(FILTERS);
  gateway = spawnNode(LAUNCHER, ['-c', join(dir, 'dummy2mqtt.conf')], { cwd: dir });
});

afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exit;
  await watcher?.end();
  // Clear what the gateway left retained, as a user removing it would.
  await sweepRetained(FILTERS);
  rmSync(dir, { recursive: true, force: true });
});

const received = () => gateway.out();

it('publishes Home Assistant discovery that carries every key Home Assistant requires and no key it does not know', async () => {
  const config = await watcher.waitFor((m) => m.topic === `${HA}/device/dummy2mqtt/dummy/config` && m.payload !== '', 'the discovery config of the dummy');
  expect(discoveryProblems(config.topic, config.payload, HA)).toEqual([]);
  const parsed = JSON.parse(config.payload) as { device: { name: string }; components: Record<string, { platform: string; name: string }> };
  expect(parsed.device.name).toBe('Dummy device');
  expect(Object.values(parsed.components).map((c) => `${c.platform} ${c.name}`)).toEqual(['switch Mute']);
});

it('publishes Homie 5 descriptions that node-homie accepts, and says ready', async () => {
  const root = CLIENT_ID.toLowerCase();
  for (const device of [root, `${root}-dummy`]) {
    const description = await watcher.waitFor((m) => m.topic === `${HOMIE}/5/${device}/$description`, `the $description of ${device}`);
    expect(homieSchemaErrors(JSON.parse(description.payload))).toEqual([]);
  }
  await watcher.waitFor((m) => m.topic === `${HOMIE}/5/${root}/$state` && m.payload === 'ready', 'the root device ready');
});

it('a command on the advertised Home Assistant command topic reaches the dummy as MUTE_ON', async () => {
  const config = await watcher.waitFor((m) => m.topic === `${HA}/device/dummy2mqtt/dummy/config` && m.payload !== '', 'the discovery config');
  const mute = Object.values((JSON.parse(config.payload) as { components: Record<string, { command_topic: string; state_topic?: string }> }).components)[0]!;
  // The dummy reports no state: Home Assistant keeps the switch optimistic (no state topic).
  expect(mute.state_topic).toBeUndefined();
  await watcher.publish(mute.command_topic, 'ON');
  await waitFor(
    () => /received C function=AudioVideo gateway= location=Office device= sender=homeassistant action=MUTE_ON/.test(received()),
    'MUTE_ON at the dummy',
  );
  await watcher.publish(mute.command_topic, 'OFF');
  await waitFor(() => /sender=homeassistant action=MUTE_OFF/.test(received()), 'MUTE_OFF at the dummy');
});

it('a /set on the Homie property reaches the dummy as MUTE_ON', async () => {
  const device = `${CLIENT_ID.toLowerCase()}-dummy`;
  await watcher.publish(`${HOMIE}/5/${device}/capabilities/mute/set`, 'true');
  await waitFor(
    () => /received C function=AudioVideo gateway= location=Office device= sender=homie action=MUTE_ON/.test(received()),
    'MUTE_ON from Homie at the dummy',
  );
});

it('availability follows the gateway: offline and Homie disconnected after a stop', async () => {
  gateway.child.kill('SIGTERM');
  expect(await gateway.exit).toBe(0);
  await watcher.waitFor((m) => m.topic === `testmqttgtw/${CLIENT_ID}/availability` && m.payload === 'offline', 'availability offline');
  await watcher.waitFor((m) => m.topic === `${HOMIE}/5/${CLIENT_ID.toLowerCase()}/$state` && m.payload === 'disconnected', 'Homie disconnected');
});
