import { join } from 'node:path';
import { createTestGateway, type PublishedMessage, type TestGateway } from '@mg/core/testing';
import { PoolInterface } from './pool-interface.js';
import { PoolSim } from './test-support/pool-sim.js';

// pool2mqtt in memory (a whole gateway, its map, no broker) against the simulated controller on
// a real TCP socket: what a user would see on MQTT.
const MAP = join(__dirname, '..', 'pool.map.json');
const STATUS = 'home/pool//garden/controller/pool2mqtt/S';
const COMMAND = 'home/pool//garden/controller/me/C';
const AVAILABILITY = 'home/pool2mqtt/pool/availability';

type Payload = Record<string, unknown>;
const payload = (m: PublishedMessage): Payload => (m.payload.startsWith('{') ? (JSON.parse(m.payload) as Payload) : { text: m.payload });

const running: TestGateway[] = [];
function gateway(sim: PoolSim): TestGateway {
  const gw = createTestGateway(PoolInterface, {
    appName: 'pool2mqtt',
    options: { port: sim.address, reconnectmin: 0.05, reconnectmax: 0.5 },
    mqtt: { mapping: true, mapfilename: MAP },
  });
  running.push(gw);
  return gw;
}

/** The first status (from now on) whose JSON payload has these fields. */
async function status(gw: TestGateway, fields: Payload, timeoutMs = 5_000): Promise<Payload> {
  const seen = gw.published.length;
  const m = await gw.waitFor(
    (m) => gw.published.indexOf(m) >= seen && m.topic === STATUS && Object.entries(fields).every(([k, v]) => payload(m)[k] === v),
    timeoutMs,
  );
  return payload(m);
}

/** The pool's availability as last published. */
const availability = (gw: TestGateway) => gw.published.filter((m) => m.topic === AVAILABILITY).map((m) => m.payload);

let sim: PoolSim;
beforeEach(async () => (sim = await PoolSim.start()));
afterEach(async () => {
  await Promise.all(running.splice(0).map((gw) => gw.stop()));
  await sim.close();
});

it('publishes three statuses from the one STATUS line it asks for at connection', async () => {
  sim.pump = 'ON';
  const gw = gateway(sim);
  const statuses = [status(gw, { action: 'pump', value: 'on' }), status(gw, { action: 'temp', value: 27.5 }), status(gw, { action: 'setpoint', value: 28 })];
  await gw.start();
  await Promise.all(statuses);
  expect(gw.available('pool')).toBe(true);
  expect(sim.received).toContain('STATUS?');
});

it('answers a refusal with an ERROR reply in the device’s words, at once (no timeout, no retry)', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  const reply = status(gw, { action: 'setpoint_set', response: 'ERROR' });
  await gw.receive(COMMAND, { action: 'setpoint_set', value: 50 });
  expect(String((await reply).reason)).toContain('SETPOINT OUT OF RANGE 10-35');
  expect(sim.received.filter((l) => l.startsWith('SETPOINT'))).toEqual(['SETPOINT 50']);
});

it('sends a command again while the controller says ERR BUSY, then replies OK and reads the new state', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  sim.busy(1);
  const reply = status(gw, { action: 'pump_on', response: 'OK' });
  const pumpOn = status(gw, { action: 'pump', value: 'on' }); // the query after the command
  await gw.receive(COMMAND, 'pump_on');
  await reply;
  await pumpOn;
  expect(sim.received.filter((l) => l === 'PUMP ON')).toEqual(['PUMP ON', 'PUMP ON']);
});

it('gives up on a controller that stays busy, saying so', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  sim.busy(100);
  const reply = status(gw, { action: 'setpoint_set', response: 'ERROR' }, 10_000);
  await gw.receive(COMMAND, { action: 'setpoint_set', value: 26.5 });
  expect(String((await reply).reason)).toMatch(/busy/);
  expect(sim.setpoint).toBe(28);
});

it('refuses a bad argument without sending anything, in words for the sender', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  const reply = status(gw, { action: 'setpoint_set', response: 'ERROR' });
  await gw.receive(COMMAND, { action: 'setpoint_set', value: 'warm' });
  expect(String((await reply).reason)).toMatch(/argument "value" must be a number/);
  expect(sim.received.filter((l) => l.startsWith('SETPOINT'))).toEqual([]);
});

it('publishes the temperature and alarms the controller reports by itself', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  const temp = status(gw, { action: 'temp', value: 26.2 });
  const alarm = status(gw, { action: 'alarm', value: 'LOW WATER' });
  sim.report('TEMP 26.2');
  sim.report('ALARM LOW WATER');
  await Promise.all([temp, alarm]);
});

it('goes offline while the controller is away, and back online with its status read again', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  const before = availability(gw).length;
  await sim.close(); // the controller restarts
  await gw.waitFor((m) => m.topic === AVAILABILITY && m.payload === 'offline' && availability(gw).length > before, 10_000);
  sim = await PoolSim.start(sim.port);
  sim.temp = 25; // changed while away: only a query at connection sees it
  await status(gw, { action: 'temp', value: 25 }, 10_000);
  expect(gw.available('pool')).toBe(true);
  expect(availability(gw).slice(before)).toEqual(['offline', 'online']);
}, 30_000);

it('reconnects after the controller drops out', async () => {
  const gw = gateway(sim);
  await gw.start();
  await sim.whenConnected();
  sim.pump = 'ON';
  const again = status(gw, { action: 'pump', value: 'on' }, 10_000);
  sim.dropOut();
  await again;
  expect(sim.received.filter((l) => l === 'STATUS?').length).toBeGreaterThanOrEqual(2);
}, 20_000);
