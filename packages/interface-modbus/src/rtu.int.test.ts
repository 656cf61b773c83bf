// RTU: the simulator serving RTU frames on a socat pty pair, modbus2mqtt on the other end as on
// an RS-485 adapter; then the same pty behind a TCP listener (socat) as a transparent serial
// server, reached with rtu+tcp://.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, startModbusSim, type ModbusSim } from '@mg/test-helpers';
import { commandTopic, isReply, modbusGateway, testProfile, until, type ModbusTestGateway } from './test-support/modbus-gateway.js';

jest.setTimeout(60_000);

const profile = testProfile(0.1);
let sim: ModbusSim;

beforeAll(async () => {
  sim = await startModbusSim({ rtu: true, units: { 5: { input: { 0: 123, 1: 7 }, holding: { 0: 30, 100: 0, 101: 9 }, coils: { 0: false } } } });
});
afterAll(async () => {
  await sim?.close();
  profile.cleanup();
});

describe('RTU on a serial line (a socat pty)', () => {
  let gw: ModbusTestGateway;
  beforeAll(async () => {
    gw = modbusGateway({ address: sim.address, devices: `rtu:5:${profile.path}`, baudrate: 9600, parity: 'none', interframe: 50 });
    await gw.start();
  });
  afterAll(async () => gw?.stop());

  it('publishes the points read over RTU', async () => {
    expect(await gw.waitForPayload('rtu', (p) => p.action === 'TEMPERATURE')).toEqual({ action: 'TEMPERATURE', value: 12.3 });
    await gw.waitForPayload('rtu', (p) => p.action === 'SETPOINT' && p.value === 15);
  });

  it('keeps the silence between frames: requests at least interframe apart', async () => {
    await until(async () => (await sim.requests()).length >= 12, 'a dozen requests');
    const times = (await sim.requests()).map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // From one request to the next: its answer, then the 50 ms of silence (the clock's ms rounding aside).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(49);
  });

  it('writes a holding register and replies with the value read back', async () => {
    await gw.receive(commandTopic('rtu'), { action: 'SETPOINT_SET', value: 12 });
    expect(await gw.waitForPayload('rtu', isReply('SETPOINT_SET'))).toMatchObject({ response: 'OK', value: 12 });
    expect(await sim.read(5, 'holding', 0, 1)).toEqual([24]);
  });
});

describe('RTU over TCP (a transparent serial server)', () => {
  let bridge: ChildProcess | undefined;
  let gw: ModbusTestGateway | undefined;
  afterAll(async () => {
    await gw?.stop();
    bridge?.kill('SIGTERM');
  });

  it('reads and writes through rtu+tcp://', async () => {
    const port = await freePort();
    bridge = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, `FILE:${sim.address},raw,echo=0`], { stdio: 'ignore' });
    // Until socat listens, the gateway's connection attempts are refused and tried again.
    gw = modbusGateway({ address: `rtu+tcp://127.0.0.1:${port}`, devices: `bridged:5:${profile.path}` });
    await gw.start();
    expect(await gw.waitForPayload('bridged', (p) => p.action === 'HUMIDITY', 20_000)).toEqual({ action: 'HUMIDITY', value: 7 });
    await gw.receive(commandTopic('bridged'), 'RELAY_ON');
    expect(await gw.waitForPayload('bridged', isReply('RELAY_ON'))).toMatchObject({ response: 'OK', value: true });
    expect(await sim.read(5, 'coil', 0, 1)).toEqual([true]);
  });
});
