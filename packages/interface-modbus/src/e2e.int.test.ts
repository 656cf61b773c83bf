import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectClient,
  discoveryProblems,
  homieSchemaErrors,
  SHARED_BROKER_URL,
  spawnNode,
  startModbusSim,
  sweepRetained,
  uniqueRoot,
  type ModbusSim,
  type TestClient,
} from '@mg/test-helpers';
import { loadModbusProfile } from './index.js';

// modbus2mqtt as users run it (the built bin, the shipped eastron-sdm630 and generic-thermostat
// profiles, a configuration like the examples) against a real Modbus TCP server in another
// process (@mg/test-helpers' simulator: modbus-serial's ServerTCP), with both conventions on,
// watched by an MQTT client playing the sender, Home Assistant and a Homie controller. What
// reaches the devices is read from the simulator's registers and request log.
// Generous waits, for a 2-core machine shared with other test runs.
jest.setTimeout(90_000);
const WAIT_MS = 45_000;

const PKG = join(__dirname, '..');
const LAUNCHER = join(PKG, 'bin', 'modbus2mqtt.js');

const id = uniqueRoot('modbuse2e');
const ROOT = `home-${id}`;
const HA = `ha-${id}`;
const HOMIE = `homie-${id}`;
const CLIENT_ID = `modbus2mqtt-${id}`;
const FILTERS = [`${HA}/#`, `${HOMIE}/#`, `${ROOT}/#`];
const HOMIE_ROOT = CLIENT_ID.toLowerCase();
const METER = 1;
const THERMOSTAT = 2;

const statusTopic = (device: string) => `${ROOT}/Energy//House/${device}/modbus2mqtt/S`;
const commandTopic = (device: string) => `${ROOT}/Energy//House/${device}/tester/C`;
const isWrite = (fc: number) => fc === 5 || fc === 6 || fc === 15 || fc === 16;

/** float32 as the two words an SDM meter holds (most significant first). */
function float32Words(value: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

// The meter's values, at the addresses its shipped profile gives (not restated here).
const METER_VALUES: Record<string, number> = { 'voltage-l1': 230.5, power: 1234.25, 'total-energy': 98765.5 };

let dir: string;
let sim: ModbusSim;
let gateway: ReturnType<typeof spawnNode>;
let watcher: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modbus-e2e-'));
  const sdm = loadModbusProfile('eastron-sdm630', dir);
  const input: Record<number, number> = {};
  for (const [point, value] of Object.entries(METER_VALUES)) {
    const { address } = sdm.points.find((p) => p.id === point)!;
    float32Words(value).forEach((w, i) => (input[address + i] = w));
  }
  // The thermostat: 21.3 °C, 48.5 %, setpoint 20.0 °C (tenths), mode heat, eco off.
  sim = await startModbusSim({ units: { [METER]: { input }, [THERMOSTAT]: { input: { 0: 213, 1: 485 }, holding: { 0: 200, 1: 1 }, coils: { 0: false } } } });
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  writeFileSync(
    join(dir, 'modbus2mqtt.conf'),
    [
      '[INTERFACE]',
      `address: ${sim.address}`,
      `devices: meter:${METER}:eastron-sdm630, thermostat:${THERMOSTAT}:generic-thermostat`,
      'function: Energy',
      'location: House',
      '[MQTT]',
      `host: ${hostname}`,
      `port: ${port || 1883}`,
      `clientid: ${CLIENT_ID}`,
      `root: ${ROOT}`,
      `topics: ${ROOT}/+/+/+/+/+/C`,
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
  gateway = spawnNode(LAUNCHER, ['-c', join(dir, 'modbus2mqtt.conf')], { cwd: dir, env: { ...process.env, MG_DEBUG: '' } });
});

afterAll(async () => {
  gateway?.child.kill('SIGTERM');
  await gateway?.exit;
  await watcher?.end();
  await sweepRetained(FILTERS);
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rethrows with the gateway's output, which says why when the gateway is the cause. */
async function explained<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    throw new Error(`${(err as Error).message}\nmodbus2mqtt output:\n${gateway.output()}`);
  }
}

type Payload = Record<string, unknown>;

/** The first JSON payload on `device`'s status topic, after `from` messages, that `match` accepts. */
async function status(device: string, what: string, match: (p: Payload) => boolean, from = 0): Promise<Payload> {
  const m = await explained(
    watcher.waitFor((m) => m.topic === statusTopic(device) && watcher.messages.indexOf(m) >= from && match(JSON.parse(m.payload) as Payload), what, WAIT_MS),
  );
  return JSON.parse(m.payload) as Payload;
}

/** Sends a command to `device` and returns its reply. */
async function command(device: string, payload: Payload): Promise<Payload> {
  const from = watcher.messages.length;
  await watcher.publish(commandTopic(device), JSON.stringify(payload));
  return status(device, `the reply to ${JSON.stringify(payload)}`, (p) => p.action === payload.action && 'response' in p, from);
}

it("publishes the meter's voltage, power and energy as statuses with the float32 values of its registers", async () => {
  // Every point is read once at each connection, so the 30 s energy counters come at start too.
  expect(await status('meter', 'VOLTAGE_L1', (p) => p.action === 'VOLTAGE_L1')).toEqual({ action: 'VOLTAGE_L1', value: 230.5 });
  expect(await status('meter', 'POWER', (p) => p.action === 'POWER')).toEqual({ action: 'POWER', value: 1234.25 });
  expect(await status('meter', 'TOTAL_ENERGY', (p) => p.action === 'TOTAL_ENERGY')).toEqual({ action: 'TOTAL_ENERGY', value: 98765.5 });
  // Registers the profile names but the meter left at 0 read as 0, not as garbage.
  expect(await status('meter', 'VOLTAGE_L2', (p) => p.action === 'VOLTAGE_L2')).toEqual({ action: 'VOLTAGE_L2', value: 0 });
  // Read with function 4 (input registers), batched: fewer reads than the profile has points.
  const reads = (await sim.requests()).filter((r) => r.unit === METER && r.fc === 4);
  expect(reads.length).toBeGreaterThan(0);
  expect(new Set(reads.map((r) => r.address)).size).toBeLessThan(loadModbusProfile('eastron-sdm630', dir).points.length);
});

it('writes the setpoint (a holding register) and eco (a coil), each replied OK with the value read back', async () => {
  expect(await command('thermostat', { action: 'SETPOINT_SET', value: 21.5 })).toMatchObject({ response: 'OK', value: 21.5 });
  expect(await sim.read(THERMOSTAT, 'holding', 0, 1)).toEqual([215]);
  expect(await command('thermostat', { action: 'ECO_ON' })).toMatchObject({ response: 'OK', value: true });
  expect(await sim.read(THERMOSTAT, 'coil', 0, 1)).toEqual([true]);
  const writes = (await sim.requests()).filter((r) => r.unit === THERMOSTAT && isWrite(r.fc));
  expect(writes.map(({ fc, address, count }) => ({ fc, address, count }))).toEqual([
    { fc: 6, address: 0, count: 1 },
    { fc: 5, address: 0, count: 1 },
  ]);
  await status('thermostat', 'the SETPOINT status 21.5', (p) => p.action === 'SETPOINT' && p.value === 21.5);
});

it('refuses a setpoint out of range with ERROR, sending nothing to the thermostat', async () => {
  const writesBefore = (await sim.requests()).filter((r) => r.unit === THERMOSTAT && isWrite(r.fc)).length;
  const refused = await command('thermostat', { action: 'SETPOINT_SET', value: 99 });
  expect(refused).toMatchObject({ response: 'ERROR' });
  expect(String(refused.reason)).toMatch(/30/);
  // The next write is the only one since: the refused value never went on the bus.
  expect(await command('thermostat', { action: 'SETPOINT_SET', value: 22 })).toMatchObject({ response: 'OK', value: 22 });
  const since = (await sim.requests()).filter((r) => r.unit === THERMOSTAT && isWrite(r.fc)).slice(writesBefore);
  expect(since.map(({ fc, address }) => ({ fc, address }))).toEqual([{ fc: 6, address: 0 }]);
  expect(await sim.read(THERMOSTAT, 'holding', 0, 1)).toEqual([220]);
});

interface Component {
  platform: string;
  name: string;
  state_topic?: string;
  command_topic?: string;
  unit_of_measurement?: string;
  min?: number;
  max?: number;
  step?: number;
}

/** A unit's discovery config, checked against Home Assistant's key rules; its components by name. */
async function discovery(device: string): Promise<Record<string, Component>> {
  const topic = `${HA}/device/modbus2mqtt/${device}/config`;
  const config = await explained(watcher.waitFor((m) => m.topic === topic && m.payload !== '', `the discovery config of ${device}`, WAIT_MS));
  expect(discoveryProblems(config.topic, config.payload, HA)).toEqual([]);
  const parsed = JSON.parse(config.payload) as { components: Record<string, Component> };
  return Object.fromEntries(Object.values(parsed.components).map((c) => [c.name, c]));
}

it('publishes Home Assistant discovery that passes its key rules: the meter as sensors, the thermostat with a number and a switch', async () => {
  const meter = await discovery('meter');
  expect(meter['Voltage L1']).toMatchObject({ platform: 'sensor', unit_of_measurement: 'V' });
  expect(meter['Total energy'] ?? meter['Total Energy']).toMatchObject({ platform: 'sensor', unit_of_measurement: 'kWh' });
  await explained(
    watcher.waitFor((m) => m.topic === meter['Voltage L1']!.state_topic && m.payload === '230.5', 'Voltage L1 230.5 on its state topic', WAIT_MS),
  );
  const thermostat = await discovery('thermostat');
  expect(thermostat.Setpoint).toMatchObject({ platform: 'number', min: 5, max: 30, step: 0.5 });
  expect(thermostat.Eco).toMatchObject({ platform: 'switch' });
  // A setpoint from Home Assistant's command topic reaches the register.
  await watcher.publish(thermostat.Setpoint!.command_topic!, '19.5');
  await explained(sim.waitForRequest((r) => r.unit === THERMOSTAT && r.fc === 6, WAIT_MS));
  await explained(watcher.waitFor((m) => m.topic === thermostat.Setpoint!.state_topic && m.payload === '19.5', 'Setpoint 19.5 on its state topic', WAIT_MS));
  expect(await sim.read(THERMOSTAT, 'holding', 0, 1)).toEqual([195]);
});

it('publishes Homie 5 descriptions that node-homie accepts, and a /set reaches the coil', async () => {
  for (const device of [HOMIE_ROOT, `${HOMIE_ROOT}-meter`, `${HOMIE_ROOT}-thermostat`]) {
    const description = await explained(watcher.waitFor((m) => m.topic === `${HOMIE}/5/${device}/$description`, `the $description of ${device}`, WAIT_MS));
    expect(homieSchemaErrors(JSON.parse(description.payload))).toEqual([]);
  }
  await explained(watcher.waitFor((m) => m.topic === `${HOMIE}/5/${HOMIE_ROOT}/$state` && m.payload === 'ready', 'the root device ready', WAIT_MS));
  const eco = `${HOMIE}/5/${HOMIE_ROOT}-thermostat/capabilities/eco`;
  const from = watcher.messages.length;
  await watcher.publish(`${eco}/set`, 'false');
  await explained(watcher.waitFor((m) => watcher.messages.indexOf(m) >= from && m.topic === eco && m.payload === 'false', 'the eco property false', WAIT_MS));
  expect(await sim.read(THERMOSTAT, 'coil', 0, 1)).toEqual([false]);
});

it('stops cleanly on SIGTERM, its availability offline', async () => {
  gateway.child.kill('SIGTERM');
  expect(await gateway.exit).toBe(0);
  await explained(watcher.waitFor((m) => m.topic === `${ROOT}/${CLIENT_ID}/availability` && m.payload === 'offline', 'availability offline'));
});
