import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createTestGateway, type JsonFields, type TestGateway } from '@mg/core/testing';
import { SerialInterface } from '@mg/interface-serial';
import { PoolInterface } from './pool-interface.js';
import { PoolSim } from './test-support/pool-sim.js';

// The pool controller both ways, tested alike: pool2mqtt (60 lines of interface code) and
// serial2mqtt with pool.profile.json (no code). Each runs in a whole gateway in memory with the
// package's map (no broker), against the simulated controller on a real TCP socket.
const PKG = join(__dirname, '..');
const STATUS = 'home/pool//garden/controller/pool2mqtt/S';
const COMMAND = 'home/pool//garden/controller/me/C';
const AVAILABILITY = 'home/pool2mqtt/pool/availability';
const mqtt = { mapping: true, mapfilename: join(PKG, 'pool.map.json') };
// Quick reconnection, so that a restart of the controller does not make the test wait.
const reconnect = { reconnectmin: 0.05, reconnectmax: 0.5 };

const ROUTES: Record<string, (sim: PoolSim) => TestGateway> = {
  'code (PoolInterface)': (sim) => createTestGateway(PoolInterface, { appName: 'pool2mqtt', options: { port: sim.address, ...reconnect }, mqtt }),
  'profile (serial2mqtt, pool.profile.json)': (sim) =>
    createTestGateway(SerialInterface, {
      appName: 'pool2mqtt',
      options: {
        port: sim.address,
        profile: join(PKG, 'pool.profile.json'),
        function: 'Pool',
        location: 'Garden',
        device: 'Controller',
        replytimeout: 2,
        ...reconnect,
      },
      mqtt,
    }),
};

type Payload = Record<string, unknown>;

/** The first status published from now on whose JSON payload has these fields (the testing kit's waitFor). */
async function status(gw: TestGateway, fields: JsonFields, timeoutMs = 5_000): Promise<Payload> {
  return JSON.parse((await gw.waitFor(STATUS, fields, { timeoutMs })).payload) as Payload;
}

/** The pool's availability, as published so far. */
const availability = (gw: TestGateway) => gw.published.filter((m) => m.topic === AVAILABILITY).map((m) => m.payload);

describe.each(Object.keys(ROUTES))('the pool controller as %s', (route) => {
  const running: TestGateway[] = [];
  let sim: PoolSim;
  /** The gateway, started, connected to the controller, and done with its first status query. */
  async function connected(): Promise<TestGateway> {
    const gw = ROUTES[route]!(sim);
    running.push(gw);
    const read = status(gw, { action: 'setpoint' });
    await gw.start();
    await read;
    return gw;
  }

  beforeEach(async () => (sim = await PoolSim.start()));
  afterEach(async () => {
    await Promise.all(running.splice(0).map((gw) => gw.stop()));
    await sim.close();
  });

  it('publishes three statuses from the one STATUS line it asks for at connection', async () => {
    sim.pump = 'ON';
    const gw = ROUTES[route]!(sim);
    running.push(gw);
    const statuses = [status(gw, { action: 'pump', value: 'on' }), status(gw, { action: 'temp', value: 27.5 }), status(gw, { action: 'setpoint', value: 28 })];
    await gw.start();
    await Promise.all(statuses);
    expect(gw.available('pool')).toBe(true);
    expect(sim.received).toContain('STATUS?');
  });

  it('answers a refusal with an ERROR reply in the controller’s words, at once', async () => {
    const gw = await connected();
    const alarm = status(gw, { action: 'alarm', value: 'LOW WATER' });
    sim.raiseAlarm('LOW WATER');
    await alarm;
    const reply = status(gw, { action: 'pump_on', response: 'ERROR' });
    await gw.receive(COMMAND, 'pump_on');
    // The device's words, not a timeout; sent once (a refusal is not retried).
    expect((await reply).reason).toMatch(/PUMP LOCKED BY ALARM LOW WATER/);
    expect(sim.received.filter((l) => l === 'PUMP ON')).toEqual(['PUMP ON']);
  });

  it('sends a command again while the controller says ERR BUSY, replies OK, and reads the new state', async () => {
    const gw = await connected();
    sim.busy(1);
    const reply = status(gw, { action: 'pump_on', response: 'OK' });
    const pumpOn = status(gw, { action: 'pump', value: 'on' }); // the query after the command
    await gw.receive(COMMAND, 'pump_on');
    await Promise.all([reply, pumpOn]);
    expect(sim.received.filter((l) => l === 'PUMP ON')).toEqual(['PUMP ON', 'PUMP ON']);
  });

  it('gives up on a controller that stays busy, saying so', async () => {
    const gw = await connected();
    sim.busy(100);
    const reply = status(gw, { action: 'setpoint_set', response: 'ERROR' }, 10_000);
    await gw.receive(COMMAND, { action: 'setpoint_set', value: 26.5 });
    expect((await reply).reason).toMatch(/busy/);
    expect(sim.setpoint).toBe(28);
  });

  it('refuses a bad argument without sending anything, in words for the sender', async () => {
    const gw = await connected();
    const reply = status(gw, { action: 'setpoint_set', response: 'ERROR' });
    await gw.receive(COMMAND, { action: 'setpoint_set', value: 'warm' });
    expect((await reply).reason).toMatch(/argument "value" must be a number/);
    expect(sim.received.filter((l) => l.startsWith('SETPOINT'))).toEqual([]);
  });

  it('refuses what is not a command, naming it as the sender wrote it', async () => {
    const gw = await connected();
    const reply = status(gw, { action: 'temp', response: 'ERROR' });
    await gw.receive(COMMAND, 'temp');
    expect((await reply).reason).toMatch(/"?temp"? is not a command|unknown action "temp"/);
    expect(sim.received.filter((l) => l !== 'STATUS?')).toEqual([]);
  });

  it('publishes the temperature and the alarms the controller reports by itself', async () => {
    const gw = await connected();
    const reports = [status(gw, { action: 'temp', value: 26.2 }), status(gw, { action: 'alarm', value: 'FILTER CLOGGED' })];
    sim.report('TEMP 26.2');
    sim.report('ALARM FILTER CLOGGED');
    await Promise.all(reports);
  });

  it('goes offline while the controller is away, and online again with its status read anew', async () => {
    const gw = await connected();
    const before = availability(gw).length;
    const offline = gw.waitFor(AVAILABILITY, 'offline', { timeoutMs: 10_000 });
    await sim.close(); // the controller restarts
    await offline;
    sim = await PoolSim.start(sim.port);
    sim.temp = 25; // changed while away: only a query at connection sees it
    await status(gw, { action: 'temp', value: 25 }, 10_000);
    expect(gw.available('pool')).toBe(true);
    expect(availability(gw).slice(before)).toEqual(['offline', 'online']);
  }, 30_000);

  it('reconnects after the controller drops out', async () => {
    const gw = await connected();
    sim.pump = 'ON';
    const again = status(gw, { action: 'pump', value: 'on' }, 10_000);
    sim.dropOut();
    await again;
    expect(sim.received.filter((l) => l === 'STATUS?').length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('waits, without flapping, while another client holds the controller’s one slot', async () => {
    const other = connect(sim.port, '127.0.0.1');
    await sim.whenConnected();
    const gw = ROUTES[route]!(sim);
    running.push(gw);
    await gw.start();
    // Accepted and closed at once, twice: failed attempts, not connections.
    await once(sim, 'turnedAway');
    await once(sim, 'turnedAway');
    expect(gw.available('pool')).toBe(false);
    const since = availability(gw).indexOf('offline');
    expect(since).toBeGreaterThanOrEqual(0);
    expect(availability(gw).slice(since)).toEqual(['offline']);
    const read = status(gw, { action: 'setpoint' }, 10_000);
    other.destroy(); // the slot is free
    await read;
    expect(availability(gw).slice(since)).toEqual(['offline', 'online']);
  }, 20_000);
});
