// modbus2mqtt in memory (the testing kit) against the Modbus simulator of @mg/test-helpers (a
// modbus-serial server in a child process, on TCP): reads published as statuses, batching and
// the fallback around a hole, commands checked, written and read back, exceptions by name,
// timeouts, and polls on demand.
import { startModbusSim, type ModbusSim } from '@mg/test-helpers';
import { commandTopic, float32Words, isReply, modbusGateway, POLL_TOPIC, testProfile, until, type ModbusTestGateway } from './test-support/modbus-gateway.js';

jest.setTimeout(30_000);

const profile = testProfile(0.2);
let sim: ModbusSim;
let gw: ModbusTestGateway;

beforeAll(async () => {
  sim = await startModbusSim({
    units: {
      1: { input: { 0: 215, 1: 48, 8: float32Words(1234.5)[0]!, 9: float32Words(1234.5)[1]! }, holding: { 0: 40, 100: 0, 101: 4242 }, coils: { 0: false } },
      // The same board with no registers 2..7: the batch 0..9 is refused.
      3: { input: { 0: 100, 1: 50, 8: 0, 9: 0 }, holding: { 0: 10, 100: 0, 101: 1 }, coils: { 0: true }, holes: [{ table: 'input', from: 2, to: 7 }] },
    },
  });
  gw = modbusGateway({ address: sim.address, devices: `board:1:${profile.path}, holey:3:${profile.path}` });
  await gw.start();
});

afterAll(async () => {
  await gw?.stop();
  await sim?.close();
  profile.cleanup();
});

const requestsOf = async (unit: number, fc?: number) => (await sim.requests()).filter((r) => r.unit === unit && (fc === undefined || r.fc === fc));

describe('reads', () => {
  it('publishes each point as a status of its unit, decoded as the profile says', async () => {
    const expected = [
      { action: 'TEMPERATURE', value: 21.5 },
      { action: 'HUMIDITY', value: 48 },
      { action: 'ENERGY', value: 1234.5 },
      { action: 'SETPOINT', value: 20 },
      { action: 'RELAY', value: false },
      { action: 'SERIAL_NUMBER', value: 4242 },
    ];
    // Each point's batch is its own poll: wait for every one, in whatever order the bus read them.
    for (const { action } of expected) await gw.waitForPayload('board', (p) => p.action === action);
    expect(gw.payloads('board')).toEqual(expect.arrayContaining(expected));
    expect(gw.available('board')).toBe(true);
  });

  it('reads neighbouring input registers in one request, the gap of 6 included (maxgap 8)', async () => {
    await until(async () => (await requestsOf(1, 4)).length >= 3, 'three reads of the input registers');
    expect(new Set((await requestsOf(1, 4)).map((r) => `${r.address}x${r.count}`))).toEqual(new Set(['0x10']));
  });

  it('falls back to smaller reads around a hole the unit refuses, and keeps to them', async () => {
    await gw.waitForPayload('holey', (p) => p.action === 'ENERGY');
    expect(gw.payloads('holey')).toEqual(
      expect.arrayContaining([
        { action: 'TEMPERATURE', value: 10 },
        { action: 'HUMIDITY', value: 50 },
      ]),
    );
    const refused = (await requestsOf(3, 4)).filter((r) => r.count === 10).length;
    const after = (await requestsOf(3, 4)).length;
    await until(async () => (await requestsOf(3, 4)).length >= after + 4, 'more reads of unit 3');
    // The refused batch is asked no more: the plan remembers the split.
    expect((await requestsOf(3, 4)).filter((r) => r.count === 10)).toHaveLength(refused);
    expect(gw.available('holey')).toBe(true);
  });

  it('reads a unit at once on a poll on demand, the hourly point included', async () => {
    const hourly = async (unit: number) => (await requestsOf(unit, 3)).filter((r) => r.address === 100).length;
    expect(await hourly(1)).toBe(1); // at connection only
    const other = await hourly(3);
    await gw.receive(POLL_TOPIC, 'board');
    await until(async () => (await hourly(1)) === 2, 'the hourly point read again');
    // Not the other unit's hourly point.
    expect(await hourly(3)).toBe(other);
  });
});

describe('commands', () => {
  it('writes a holding register, reads it back and replies OK with the value read back', async () => {
    await gw.receive(commandTopic('board'), { action: 'SETPOINT_SET', value: 21.5 });
    expect(await gw.waitForPayload('board', isReply('SETPOINT_SET'))).toEqual({
      action: 'SETPOINT_SET',
      response: 'OK',
      reason: 'written; read back: 21.5',
      value: 21.5,
    });
    expect(await sim.read(1, 'holding', 0, 1)).toEqual([43]);
    const writes = await requestsOf(1, 6);
    expect(writes.map((r) => `${r.address}x${r.count}`)).toEqual(['0x1']);
    await gw.waitForPayload('board', (p) => p.action === 'SETPOINT' && p.value === 21.5);
  });

  it('switches a coil on and off, each read back', async () => {
    await gw.receive(commandTopic('board'), 'RELAY_ON');
    expect(await gw.waitForPayload('board', isReply('RELAY_ON'))).toMatchObject({ response: 'OK', value: true });
    expect(await sim.read(1, 'coil', 0, 1)).toEqual([true]);
    await gw.receive(commandTopic('board'), { action: 'RELAY_SET', value: false });
    expect(await gw.waitForPayload('board', isReply('RELAY_SET'))).toMatchObject({ response: 'OK', value: false });
    expect(await sim.read(1, 'coil', 0, 1)).toEqual([false]);
    expect((await requestsOf(1, 5)).length).toBe(2);
  });

  it('refuses a value out of range with ERROR, sending nothing', async () => {
    const writes = () => sim.requests().then((all) => all.filter((r) => r.fc === 5 || r.fc === 6 || r.fc === 15 || r.fc === 16).length);
    const before = await writes();
    await gw.receive(commandTopic('board'), { action: 'SETPOINT_SET', value: 99 });
    const reply = await gw.waitForPayload('board', (p) => isReply('SETPOINT_SET')(p) && p.response === 'ERROR');
    expect(reply.reason).toMatch(/30/);
    await gw.receive(commandTopic('board'), { action: 'SETPOINT_SET', value: 21.3 });
    await until(() => gw.payloads('board').filter((p) => isReply('SETPOINT_SET')(p) && p.response === 'ERROR').length === 2, 'the second refusal');
    expect(await writes()).toBe(before);
  });

  it('names the Modbus exception the unit answers, worded for the sender', async () => {
    await sim.fail(1, 3, { table: 'holding', address: 0 });
    try {
      await gw.receive(commandTopic('board'), { action: 'SETPOINT_SET', value: 22, correlation: 'c-1' });
      expect(await gw.waitForPayload('board', (p) => p.correlation === 'c-1')).toEqual({
        action: 'SETPOINT_SET',
        response: 'ERROR',
        reason: 'the device answered ILLEGAL DATA VALUE (the device refused the value)',
        correlation: 'c-1',
      });
      await sim.fail(1, 6);
      await gw.receive(commandTopic('board'), { action: 'RELAY_ON', correlation: 'c-2' });
      expect(await gw.waitForPayload('board', (p) => p.correlation === 'c-2')).toMatchObject({
        response: 'ERROR',
        reason: 'the device answered SLAVE DEVICE BUSY (the device is busy; try again later)',
      });
    } finally {
      await sim.fail(1, 0);
    }
  });

  it('replies ERROR with the timeout when the unit does not answer', async () => {
    await sim.silence(3);
    try {
      await gw.receive(commandTopic('holey'), { action: 'RELAY_OFF', correlation: 'c-3' });
      expect(await gw.waitForPayload('holey', (p) => p.correlation === 'c-3')).toMatchObject({
        response: 'ERROR',
        reason: 'no answer from the device within 200 ms',
      });
    } finally {
      await sim.silence(3, false);
    }
  });

  it('answers an action the profile lacks, and ignores a command for a unit of another bus', async () => {
    await gw.receive(commandTopic('board'), 'EJECT');
    expect(await gw.waitForPayload('board', isReply('EJECT'))).toMatchObject({
      response: 'ERROR',
      reason: expect.stringMatching(/^unknown action "EJECT" for board \(known: .*SETPOINT_SET.*\)$/) as unknown,
    });
    const published = gw.published.length;
    await gw.receive(commandTopic('elsewhere'), 'RELAY_ON');
    await gw.receive(commandTopic('board'), { action: 'RELAY_OFF', correlation: 'c-4' });
    await gw.waitForPayload('board', (p) => p.correlation === 'c-4');
    expect(gw.published.slice(published).filter((m) => m.topic.includes('/elsewhere/'))).toEqual([]);
  });
});
