// The Modbus simulator against modbus-serial's client, over TCP and RTU on a socat pty pair.
import ModbusRTU from 'modbus-serial';
import { startModbusSim, type ModbusSim } from './modbus-sim.js';
import { freePort } from './ports.js';

jest.setTimeout(60_000);

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
});

async function sim(o: Parameters<typeof startModbusSim>[0]): Promise<ModbusSim> {
  const s = await startModbusSim(o);
  opened.push(s);
  return s;
}

/** A modbus-serial client connected to the simulator (a timeout short enough for silent units). */
async function client(s: ModbusSim, unit: number, timeoutMs = 1_000): Promise<ModbusRTU> {
  const c = new ModbusRTU();
  if (s.address.startsWith('tcp://')) await c.connectTCP('127.0.0.1', { port: Number(s.address.split(':')[2]) });
  else await c.connectRTUBuffered(s.address, { baudRate: 9600 });
  c.setID(unit);
  c.setTimeout(timeoutMs);
  opened.push({ close: () => new Promise<void>((resolve) => (c.isOpen ? c.close(() => resolve()) : resolve())) });
  return c;
}

/** The Modbus exception code a request was refused with (it must be refused). */
async function refusal(request: Promise<unknown>): Promise<number | string> {
  const err = await request.then(
    () => undefined,
    (e: { modbusCode?: number; message: string }) => e,
  );
  if (!err) throw new Error('the request was answered');
  return err.modbusCode ?? err.message;
}

const meter = { holding: { 0: 0x4366, 1: 0x8000, 10: 7 }, input: { 0: 0x4366, 1: 0x8000 }, coils: { 0: true, 2: true }, discrete: { 1: true } };

describe('startModbusSim over TCP', () => {
  it('serves every table of a unit and logs each request', async () => {
    const s = await sim({ units: { 1: meter } });
    expect(s.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const c = await client(s, 1);
    expect((await c.readHoldingRegisters(0, 3)).data).toEqual([0x4366, 0x8000, 0]);
    expect((await c.readInputRegisters(0, 2)).buffer.readFloatBE(0)).toBeCloseTo(230.5);
    expect((await c.readCoils(0, 3)).data.slice(0, 3)).toEqual([true, false, true]);
    expect((await c.readDiscreteInputs(0, 2)).data.slice(0, 2)).toEqual([false, true]);

    await c.writeRegister(10, 1234);
    await c.writeRegisters(20, [1, 2, 65535]);
    await c.writeCoil(1, true);
    await c.writeCoils(8, [true, false, true]);
    expect(await s.read(1, 'holding', 10, 1)).toEqual([1234]);
    expect(await s.read(1, 'holding', 20, 3)).toEqual([1, 2, 65535]);
    expect(await s.read(1, 'coil', 0, 3)).toEqual([true, true, true]);
    expect(await s.read(1, 'coil', 8, 3)).toEqual([true, false, true]);

    await s.set(1, 'input', 5, [42, 43]);
    await s.set(1, 'discrete', 0, [true]);
    expect((await c.readInputRegisters(5, 2)).data).toEqual([42, 43]);
    expect((await c.readDiscreteInputs(0, 1)).data[0]).toBe(true);

    const log = (await s.requests()).map(({ unit, fc, address, count }) => [unit, fc, address, count]);
    expect(log).toEqual([
      [1, 3, 0, 3],
      [1, 4, 0, 2],
      [1, 1, 0, 3],
      [1, 2, 0, 2],
      [1, 6, 10, 1],
      [1, 16, 20, 3],
      [1, 5, 1, 1],
      [1, 15, 8, 3],
      [1, 4, 5, 2],
      [1, 2, 0, 1],
    ]);
    expect(await s.requests()).toEqual(expect.arrayContaining([expect.objectContaining({ at: expect.any(Number) })]));
  });

  it('keeps the units apart, and a silent unit does not hold up another', async () => {
    const s = await sim({ units: { 1: { holding: { 0: 11 } }, 2: { holding: { 0: 22 } } } });
    const one = await client(s, 1);
    const two = await client(s, 2, 3_000);
    expect((await one.readHoldingRegisters(0, 1)).data).toEqual([11]);
    expect((await two.readHoldingRegisters(0, 1)).data).toEqual([22]);

    await s.silence(2);
    const since = Date.now();
    const unanswered = refusal(two.readHoldingRegisters(0, 1));
    await s.waitForRequest((r) => r.unit === 2 && r.at >= since);
    // Unit 1 answers while unit 2's request is still waiting for its timeout.
    let pending = true;
    void unanswered.finally(() => (pending = false));
    expect((await one.readHoldingRegisters(0, 1)).data).toEqual([11]);
    expect(pending).toBe(true);
    expect(await unanswered).toMatch(/timed out/i);

    await s.silence(2, false);
    expect((await two.readHoldingRegisters(0, 1)).data).toEqual([22]);
    // A unit id the simulator does not have stays silent too, as on a real bus.
    const three = await client(s, 3, 300);
    expect(await refusal(three.readHoldingRegisters(0, 1))).toMatch(/timed out/i);
  });

  it('answers exceptions: set by fail(), holes, and reads beyond the protocol limit', async () => {
    const s = await sim({
      units: {
        1: {
          holding: { 0: 1 },
          holes: [
            { table: 'holding', from: 5, to: 6 },
            { table: 'coil', from: 3, to: 3 },
            { table: 'input', from: 2, to: 7 },
            { table: 'discrete', from: 1, to: 1 },
          ],
        },
      },
    });
    const c = await client(s, 1);
    expect(await refusal(c.readHoldingRegisters(4, 2))).toBe(2);
    expect(await refusal(c.readHoldingRegisters(6, 1))).toBe(2);
    expect(await refusal(c.writeRegister(5, 1))).toBe(2);
    expect(await refusal(c.readCoils(0, 8))).toBe(2);
    // Input registers too: modbus-serial's FC4 handler needs a list even with an error.
    expect(await refusal(c.readInputRegisters(0, 10))).toBe(2);
    expect(await refusal(c.readInputRegisters(2, 1))).toBe(2);
    expect((await c.readInputRegisters(8, 2)).data).toEqual([0, 0]);
    expect(await refusal(c.readDiscreteInputs(0, 2))).toBe(2);
    expect((await c.readHoldingRegisters(0, 5)).data).toHaveLength(5);
    expect((await c.readHoldingRegisters(7, 125)).data).toHaveLength(125);
    expect(await refusal(c.readHoldingRegisters(7, 126))).toBe(3);

    await s.fail(1, 6, { table: 'holding', address: 2 });
    expect(await refusal(c.readHoldingRegisters(0, 3))).toBe(6);
    expect((await c.readHoldingRegisters(3, 2)).data).toHaveLength(2);
    await s.fail(1, 4);
    expect(await refusal(c.readInputRegisters(0, 1))).toBe(4);
    expect(await refusal(c.readInputRegisters(8, 2))).toBe(4);
    await s.fail(1, 0);
    expect((await c.readHoldingRegisters(0, 3)).data).toEqual([1, 0, 0]);
  });

  it('waits for a request that has come or is to come, and gives up after its timeout', async () => {
    const s = await sim({ units: { 1: {} } });
    const c = await client(s, 1);
    await c.readCoils(4, 1);
    await expect(s.waitForRequest((r) => r.fc === 1)).resolves.toMatchObject({ unit: 1, fc: 1, address: 4, count: 1 });
    const later = s.waitForRequest((r) => r.fc === 16);
    await c.writeRegisters(3, [9, 9]);
    await expect(later).resolves.toMatchObject({ fc: 16, address: 3, count: 2 });
    await expect(s.waitForRequest((r) => r.fc === 5, 200)).rejects.toThrow(/no matching Modbus request within 200 ms \(2 received\)/);
  });

  it('restarts on the same port with the registers kept', async () => {
    const port = await freePort();
    const s = await sim({ units: { 1: { holding: { 0: 1 } } }, port });
    expect(s.address).toBe(`tcp://127.0.0.1:${port}`);
    const before = await client(s, 1);
    await before.writeRegister(0, 77);
    await s.silence(1);
    const dropped = new Promise<void>((resolve) => before.on('close', () => resolve()));
    await s.restart();
    // The connection of the killed process is gone; a new one reaches the new process.
    await dropped;
    const after = await client(s, 1, 300);
    expect(await refusal(after.readHoldingRegisters(0, 1))).toMatch(/timed out/i);
    await s.silence(1, false);
    expect((await after.readHoldingRegisters(0, 1)).data).toEqual([77]);
  });

  it('refuses values that are not words or bits, and unknown units, naming them', async () => {
    const s = await sim({ units: { 1: {} } });
    await expect(s.set(1, 'holding', 0, [65536])).rejects.toThrow('holding 0: 65536 is not a uint16 word (0..65535)');
    await expect(s.set(1, 'coil', 0, [1])).rejects.toThrow('coil 0: 1 is not a boolean');
    await expect(s.set(9, 'holding', 0, [1])).rejects.toThrow('unit 9 is not simulated (units: 1)');
    await expect(startModbusSim({ units: { 1: { input: { 3: -1 } } } })).rejects.toThrow('input 3: -1 is not a uint16 word');
  });
});

describe('startModbusSim over RTU', () => {
  it('serves two units on a pty, one silent while the other answers', async () => {
    const s = await sim({ units: { 1: meter, 2: { holding: { 0: 22 } } }, rtu: true });
    expect(s.address).toMatch(/mg-pty-.*\/a$/);
    const c = await client(s, 1, 500);
    expect((await c.readInputRegisters(0, 2)).buffer.readFloatBE(0)).toBeCloseTo(230.5);
    await c.writeCoil(5, true);
    expect(await s.read(1, 'coil', 5, 1)).toEqual([true]);
    await c.writeRegisters(30, [3, 4]);
    expect(await s.read(1, 'holding', 30, 2)).toEqual([3, 4]);
    await s.fail(1, 2, { table: 'holding', address: 31 });
    expect(await refusal(c.readHoldingRegisters(30, 2))).toBe(2);

    await s.silence(2);
    c.setID(2);
    expect(await refusal(c.readHoldingRegisters(0, 1))).toMatch(/timed out/i);
    c.setID(1);
    expect((await c.readHoldingRegisters(0, 1)).data).toEqual([0x4366]);
    await s.silence(2, false);
    c.setID(2);
    expect((await c.readHoldingRegisters(0, 1)).data).toEqual([22]);
    expect((await s.requests()).filter((r) => r.unit === 2)).toHaveLength(2);

    await s.restart();
    expect((await c.readHoldingRegisters(0, 1)).data).toEqual([22]);
  });
});
