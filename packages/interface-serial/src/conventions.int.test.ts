import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { loadProfileFile, shippedProfilePath } from './index.js';
import { DenonSim } from './test-support/denon-sim.js';

// serial2mqtt as users run it (the built bin, the shipped denon-avr profile and map) with both
// conventions on, against the simulated receiver on a socat pty pair, watched by an MQTT client
// playing Home Assistant and a Homie controller. What is checked against is theirs: Home
// Assistant's key table and required keys, node-homie's JSON Schema; what reaches the device
// is the line the simulator received.
jest.setTimeout(40_000);

const PKG = join(__dirname, '..');
const LAUNCHER = join(PKG, 'bin', 'serial2mqtt.js');

const id = uniqueRoot('serialconv');
const ROOT = `home-${id}`;
const HA = `ha-${id}`;
const HOMIE = `homie-${id}`;
const CLIENT_ID = `serial2mqtt-${id}`;
const FILTERS = [`${HA}/#`, `${HOMIE}/#`, `${ROOT}/#`];
// The Homie root device is the client id lowercased; the receiver is its child.
const HOMIE_ROOT = CLIENT_ID.toLowerCase();
const HOMIE_AVR = `${HOMIE_ROOT}-denon-avr`;
// <prefix>/device/<node id: the application name>/<device id>/config
const CONFIG_TOPIC = `${HA}/device/serial2mqtt/denon-avr/config`;

interface Component {
  platform: string;
  name: string;
  command_topic?: string;
  state_topic?: string;
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
}

let dir: string;
let sim: DenonSim;
let gateway: ReturnType<typeof spawnNode>;
let watcher: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serial-conv-'));
  sim = await DenonSim.start({ tcp: false, pty: true, state: { power: 'ON', volume: 40, mute: false, source: 'CD' } });
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  // The shipped map with a topic root of this run's own.
  writeFileSync(join(dir, 'avr.map.json'), readFileSync(join(PKG, 'serial2mqtt.map.json'), 'utf8').replace(/"home/g, `"${ROOT}`));
  writeFileSync(
    join(dir, 'serial2mqtt.conf'),
    [
      '[INTERFACE]',
      `port: ${sim.ptyPath}`,
      'profile: denon-avr',
      'function: AudioVideo',
      'location: LivingRoom',
      'device: Receiver',
      '[MQTT]',
      `host: ${hostname}`,
      `port: ${port || 1883}`,
      `clientid: ${CLIENT_ID}`,
      'mapping: on',
      'mapfilename: avr.map.json',
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
  gateway = spawnNode(LAUNCHER, ['-c', join(dir, 'serial2mqtt.conf')], { cwd: dir, env: { ...process.env, MG_DEBUG: '' } });
});

afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exit;
  await watcher?.end();
  // Clear what the gateway left retained, as a user removing it would.
  await sweepRetained(FILTERS);
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rethrows with the gateway's output, which says why when the gateway is the cause. */
async function explained<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserial2mqtt output:\n${gateway.output()}`);
  }
}

/** The receiver's components as Home Assistant reads them from the discovery config, by name. */
async function components(): Promise<Record<string, Component>> {
  const config = await explained(watcher.waitFor((m) => m.topic === CONFIG_TOPIC && m.payload !== '', 'the discovery config of the receiver'));
  const parsed = JSON.parse(config.payload) as { components: Record<string, Component> };
  return Object.fromEntries(Object.values(parsed.components).map((c) => [c.name, c]));
}

/** Waits for a message on `topic` with `payload` that arrives after `from` messages. */
const after = (from: number, topic: string, payload: string, what: string) =>
  explained(watcher.waitFor((m) => watcher.messages.indexOf(m) >= from && m.topic === topic && m.payload === payload, what));

it('publishes Home Assistant discovery that passes its key rules: switches Power and Mute, number Volume 0 to 98 by 0.5, select Input', async () => {
  const config = await explained(watcher.waitFor((m) => m.topic === CONFIG_TOPIC && m.payload !== '', 'the discovery config of the receiver'));
  expect(discoveryProblems(config.topic, config.payload, HA)).toEqual([]);
  const parsed = JSON.parse(config.payload) as { device: { name: string; manufacturer: string; model: string }; components: Record<string, Component> };
  expect(parsed.device).toMatchObject({ name: 'Receiver', manufacturer: 'Denon / Marantz', model: 'denon-avr' });
  expect(Object.values(parsed.components).map((c) => `${c.platform} ${c.name}`)).toEqual(['switch Power', 'switch Mute', 'number Volume', 'select Input']);
  const byName = await components();
  expect(byName.Volume).toMatchObject({ min: 0, max: 98, step: 0.5 });
  const sources = loadProfileFile(shippedProfilePath('denon-avr')!).definition.commands.INPUT_SET!.arguments!.source as { values: string[] };
  expect(byName.Input!.options).toEqual(sources.values);
});

it("shows the receiver's states read from its answers on the advertised state topics", async () => {
  const c = await components();
  await explained(watcher.waitFor((m) => m.topic === c.Power!.state_topic && m.payload === 'ON', 'Power ON'));
  await explained(watcher.waitFor((m) => m.topic === c.Mute!.state_topic && m.payload === 'OFF', 'Mute OFF'));
  await explained(watcher.waitFor((m) => m.topic === c.Volume!.state_topic && m.payload === '40', 'Volume 40'));
  await explained(watcher.waitFor((m) => m.topic === c.Input!.state_topic && m.payload === 'CD', 'Input CD'));
});

it('publishes Homie 5 descriptions that node-homie accepts, and says ready', async () => {
  for (const device of [HOMIE_ROOT, HOMIE_AVR]) {
    const description = await explained(watcher.waitFor((m) => m.topic === `${HOMIE}/5/${device}/$description`, `the $description of ${device}`));
    expect(homieSchemaErrors(JSON.parse(description.payload))).toEqual([]);
  }
  const avr = JSON.parse(watcher.messages.find((m) => m.topic === `${HOMIE}/5/${HOMIE_AVR}/$description`)!.payload) as {
    nodes: Record<string, { properties: Record<string, { datatype: string; settable?: boolean }> }>;
  };
  expect(avr.nodes.capabilities!.properties.volume).toMatchObject({ datatype: 'float', settable: true });
  await explained(watcher.waitFor((m) => m.topic === `${HOMIE}/5/${HOMIE_ROOT}/$state` && m.payload === 'ready', 'the root device ready'));
});

it('a volume of 45.5 on the advertised Home Assistant command topic reaches the receiver as MV455, and comes back on the state topic', async () => {
  const { Volume } = await components();
  const from = watcher.messages.length;
  await watcher.publish(Volume!.command_topic!, '45.5');
  await explained(waitFor(() => sim.rawReceived.includes('MV455\r'), 'MV455 at the receiver'));
  await after(from, Volume!.state_topic!, '45.5', 'the Volume state 45.5');
  expect(sim.state.volume).toBe(45.5);
});

it('a volume of 30 on the Homie /set reaches the receiver as MV30, and the property follows', async () => {
  const property = `${HOMIE}/5/${HOMIE_AVR}/capabilities/volume`;
  const from = watcher.messages.length;
  await watcher.publish(`${property}/set`, '30');
  await explained(waitFor(() => sim.rawReceived.includes('MV30\r'), 'MV30 at the receiver'));
  await after(from, property, '30', 'the volume property 30');
  // Home Assistant sees the same change: one device, two conventions.
  const { Volume } = await components();
  await after(from, Volume!.state_topic!, '30', 'the Volume state 30');
});

it("the writes were answered like any command, on the receiver's status topic", async () => {
  const status = `${ROOT}/audiovideo//living_room/receiver/serial2mqtt/S`;
  await explained(watcher.waitFor((m) => m.topic === status && m.payload.includes('MV30'), 'the reply to the Homie write'));
  const replies = watcher.messages.filter((m) => m.topic === status && m.payload.includes('"response"')).map((m) => JSON.parse(m.payload) as unknown);
  expect(replies).toEqual([
    { action: 'vol_set', response: 'OK', reason: 'confirmed by the device: MV455' },
    { action: 'vol_set', response: 'OK', reason: 'confirmed by the device: MV30' },
  ]);
});

// Standard error up to the receiver's return: its absence was warned about, as it should be.
let errAtReturn = 0;

it("the receiver unplugged: its own availability offline, Home Assistant's entities follow it and the gateway's (mode all), Homie's child disconnected; plugged back: online, ready", async () => {
  const gatewayTopic = `${ROOT}/${CLIENT_ID}/availability`;
  const deviceTopic = `${ROOT}/${CLIENT_ID}/denon-avr/availability`;
  const config = await explained(watcher.waitFor((m) => m.topic === CONFIG_TOPIC && m.payload !== '', 'the discovery config of the receiver'));
  const parsed = JSON.parse(config.payload) as { components: Record<string, { availability?: { topic: string }[]; availability_mode?: string }> };
  for (const c of Object.values(parsed.components)) {
    expect(c.availability_mode).toBe('all');
    expect(c.availability?.map((a) => a.topic)).toEqual([gatewayTopic, deviceTopic]);
  }
  const childState = `${HOMIE}/5/${HOMIE_AVR}/$state`;
  expect(gateway.err()).toBe(''); // no warning before the receiver is unplugged
  const next = (from: number, topic: string, payload: string, what: string) =>
    explained(watcher.waitFor((m) => watcher.messages.indexOf(m) >= from && m.topic === topic && m.payload === payload, what, 20_000));

  let from = watcher.messages.length;
  await sim.kill(); // socat killed: the pty disappears, as an unplugged USB adapter does
  await next(from, deviceTopic, 'offline', 'the receiver offline');
  await next(from, childState, 'disconnected', "Homie's child disconnected");
  // The gateway itself stays online: only its device is away.
  expect(watcher.messages.slice(from).filter((m) => m.topic === gatewayTopic)).toEqual([]);

  from = watcher.messages.length;
  await sim.restart();
  await next(from, deviceTopic, 'online', 'the receiver online again');
  await next(from, childState, 'ready', "Homie's child ready again");
  errAtReturn = gateway.err().length;
});

it('stops cleanly: Homie disconnected, availability offline, and no warning said on the way', async () => {
  gateway.child.kill('SIGTERM');
  expect(await gateway.exit).toBe(0);
  await explained(watcher.waitFor((m) => m.topic === `${HOMIE}/5/${HOMIE_ROOT}/$state` && m.payload === 'disconnected', 'Homie disconnected'));
  await explained(watcher.waitFor((m) => m.topic === `${ROOT}/${CLIENT_ID}/availability` && m.payload === 'offline', 'availability offline'));
  // Warnings and errors always go to standard error: none since the receiver came back.
  expect(gateway.err().slice(errAtReturn)).toBe('');
});
