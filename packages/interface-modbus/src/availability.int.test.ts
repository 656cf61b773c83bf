// Two units on one Modbus TCP bus, one of which stops answering: it is backed off alone and
// published offline while the other keeps its poll interval (measured from the simulator's
// request times); and the bus comes back by itself after the server restarts.
import { startModbusSim, type ModbusSim } from '@mg/test-helpers';
import { modbusGateway, testProfile, until, type ModbusTestGateway } from './test-support/modbus-gateway.js';

jest.setTimeout(60_000);

const INTERVAL_MS = 1000;
const profile = testProfile(INTERVAL_MS / 1000);
let sim: ModbusSim;
let gw: ModbusTestGateway;

beforeAll(async () => {
  const board = { input: { 0: 1, 1: 2 }, holding: { 0: 20 }, coils: { 0: false } };
  sim = await startModbusSim({ units: { 1: board, 2: board } });
  gw = modbusGateway({ address: sim.address, devices: `steady:1:${profile.path}, quiet:2:${profile.path}`, timeout: 150 });
  await gw.start();
  await gw.waitForPayload('quiet', (p) => p.action === 'TEMPERATURE');
});

afterAll(async () => {
  await gw?.stop();
  await sim?.close();
  profile.cleanup();
});

const availability = (device: string) => gw.published.filter((m) => m.topic === `test/modbus2mqtt/${device}/availability`).map((m) => m.payload);

it('a unit that stops answering goes offline while the other keeps its interval within 20 %, and comes back', async () => {
  await sim.silence(2);
  await until(() => gw.available('quiet') === false, 'the silent unit offline');
  expect(availability('quiet').at(-1)).toBe('offline');
  expect(gw.available('steady')).toBe(true);
  // Six more polls of the steady unit's input registers while the other is silent.
  const steadyReads = async () => (await sim.requests()).filter((r) => r.unit === 1 && r.fc === 4);
  const from = (await steadyReads()).length;
  await until(async () => (await steadyReads()).length >= from + 7, 'seven reads of the steady unit', 20_000);
  const times = (await steadyReads()).slice(from).map((r) => r.at);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  for (const gap of gaps) expect(Math.abs(gap - INTERVAL_MS)).toBeLessThanOrEqual(INTERVAL_MS * 0.2);
  // The silent unit was asked less and less often (backed off), not at its interval.
  const quietAsked = (await sim.requests()).filter((r) => r.unit === 2 && r.fc === 4 && r.at >= times[0]!).length;
  expect(quietAsked).toBeLessThan(gaps.length);

  await sim.silence(2, false);
  await until(() => gw.available('quiet') === true, 'the unit online again', 40_000);
  expect(availability('quiet').at(-1)).toBe('online');
});

it('reconnects by itself after the server restarts, the units offline meanwhile and online again', async () => {
  const seen = availability('steady').length;
  const before = (await sim.requests()).length;
  await sim.restart();
  // The server's process is gone for a while: the connection is lost and refused meanwhile.
  await until(() => availability('steady').slice(seen).includes('offline'), 'the unit offline while the bus is down', 20_000);
  await until(
    () => gw.available('steady') === true && gw.available('quiet') === true,
    () =>
      `both units online after the restart (steady ${String(gw.available('steady'))}, quiet ${String(gw.available('quiet'))}, last logs ${JSON.stringify(gw.logs.slice(-8))})`,
    40_000,
  );
  expect((await sim.requests()).length).toBeGreaterThan(before);
  expect(gw.counters.interfaceErrors).toBe(0);
});
