// The profile features of issue 23 end to end, on a simulated pool controller over real TCP and
// a socat pty: a refusal answered at once with the device's words, busy tried again, one line
// becoming three statuses, a query after a command, and the queries at each connection.
import { PoolSim } from './test-support/pool-sim.js';
import { POOL_COMMAND_TOPIC, POOL_PROFILE, poolGateway, type Payload } from './test-support/pool-gateway.js';

jest.setTimeout(40_000);

const isReply = (action: string) => (p: Payload) => p.action === action && 'response' in p;

describe.each(['tcp', 'pty'] as const)('a pool controller on %s', (link) => {
  let sim: PoolSim;
  let gw: ReturnType<typeof poolGateway>;
  beforeAll(async () => {
    sim = await PoolSim.start(link);
    gw = poolGateway({ port: sim.address });
    await gw.start();
    await gw.next(0, (p) => p.action === 'setpoint');
  });
  afterAll(async () => {
    await gw?.stop();
    await sim?.close();
  });

  it('asks the state at connection, and one STATUS line becomes three statuses', async () => {
    expect(sim.received[0]).toBe('STATUS?');
    expect(gw.payloads().filter((p) => p.action !== 'connection')).toEqual([
      { action: 'pump', state: 'off' },
      { action: 'temperature', value: 27.5 },
      { action: 'setpoint', value: 28 },
    ]);
    const from = gw.mark();
    sim.send('STATUS PUMP=ON TEMP=26.25 SETPOINT=29.5');
    await gw.next(from, (p) => p.action === 'setpoint');
    expect(gw.payloads(from)).toEqual([
      { action: 'pump', state: 'on' },
      { action: 'temperature', value: 26.25 },
      { action: 'setpoint', value: 29.5 },
    ]);
  });

  it("answers a refusal at once with the device's words, not with a timeout", async () => {
    const from = gw.mark();
    const sent = sim.received.length;
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'setpoint_set', value: 40 });
    const reply = await gw.next(from, isReply('setpoint_set'));
    expect(reply).toEqual({ action: 'setpoint_set', response: 'ERROR', reason: 'refused by the device: OUT OF RANGE' });
    // Sent once; nothing asked after a refusal (the next command comes right after it).
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'setpoint_set', value: 30 });
    await gw.next(from, (p) => isReply('setpoint_set')(p) && p.response === 'OK');
    // Then the state, asked after the accepted one.
    await gw.next(from, (p) => p.action === 'setpoint' && p.value === 30);
    expect(sim.received.slice(sent)).toEqual(['SETPOINT 40', 'SETPOINT 30', 'STATUS?']);
  });

  it('words the reasons of a command it cannot send as the sender wrote it (pump_on, not PUMP_ON)', async () => {
    const from = gw.mark();
    const sent = sim.received.length;
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'pump_on', speed: 2 });
    expect(await gw.next(from, isReply('pump_on'))).toEqual({ action: 'pump_on', response: 'ERROR', reason: 'pump_on takes no arguments, got "speed"' });
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'setpoint_set' });
    expect(await gw.next(from, isReply('setpoint_set'))).toEqual({
      action: 'setpoint_set',
      response: 'ERROR',
      reason: 'argument "value" is missing: setpoint_set needs a number between 0 and 50',
    });
    expect(sim.received.length).toBe(sent);
  });

  it('sends a command again while the device is busy, then replies OK', async () => {
    sim.busy = 2;
    const from = gw.mark();
    const sent = sim.received.length;
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'pump_off' });
    const reply = await gw.next(from, isReply('pump_off'));
    expect(reply).toEqual({ action: 'pump_off', response: 'OK', reason: 'confirmed by the device after 3 attempts: OK' });
    expect(sim.received.slice(sent)).toEqual(['PUMP OFF', 'PUMP OFF', 'PUMP OFF']);
  });

  it('replies ERROR when the device stays busy', async () => {
    sim.busy = 3;
    const from = gw.mark();
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'pump_off' });
    expect(await gw.next(from, isReply('pump_off'))).toEqual({
      action: 'pump_off',
      response: 'ERROR',
      reason: 'the device stayed busy after 3 attempts',
    });
    expect(sim.busy).toBe(0);
  });

  it('asks the state after a confirmed command (queries.afterCommand), not after one whose then is empty', async () => {
    const from = gw.mark();
    const sent = sim.received.length;
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'pump_on' });
    expect(await gw.next(from, isReply('pump_on'))).toEqual({ action: 'pump_on', response: 'OK', reason: 'confirmed by the device: OK' });
    // The state after it, from the answer to STATUS?.
    await gw.next(from, (p) => p.action === 'pump' && p.state === 'on');
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'pump_off' });
    await gw.next(from, isReply('pump_off'));
    await gw.receive(POOL_COMMAND_TOPIC, { action: 'setpoint_set', value: 27 });
    await gw.next(from, (p) => p.action === 'setpoint' && p.value === 27);
    expect(sim.received.slice(sent)).toEqual(['PUMP ON', 'STATUS?', 'PUMP OFF', 'SETPOINT 27', 'STATUS?']);
  });

  it('asks the state again at each connection', async () => {
    // Changed while nobody listens: only the query of the new connection can tell.
    sim.state.temperature = '25.5';
    const from = gw.mark();
    const sent = sim.received.length;
    await sim.restart();
    await gw.next(from, (p) => p.action === 'connection' && p.state === 'disconnected');
    await gw.next(from, (p) => p.action === 'connection' && p.state === 'connected');
    await gw.next(from, (p) => p.action === 'temperature' && p.value === 25.5);
    expect(sim.received.slice(sent)).toEqual(['STATUS?']);
  });
});

describe('a profile without answers', () => {
  it('still takes the confirmation, and a refusal ends as a timeout (what the answers are for)', async () => {
    const sim = await PoolSim.start('tcp');
    const { answers: _none, ...profile } = POOL_PROFILE;
    const gw = poolGateway({ port: sim.address, replytimeout: 0.3 }, profile);
    try {
      await gw.start();
      await gw.next(0, (p) => p.action === 'setpoint');
      const from = gw.mark();
      await gw.receive(POOL_COMMAND_TOPIC, { action: 'setpoint_set', value: 40 });
      expect(await gw.next(from, isReply('setpoint_set'))).toEqual({
        action: 'setpoint_set',
        response: 'ERROR',
        reason: 'no answer from the device within 300 ms',
      });
    } finally {
      await gw.stop();
      await sim.close();
    }
  });
});
