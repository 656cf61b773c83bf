// Through the testing kit, against the simulated receiver on a TCP socket of this machine: an
// integration test (it opens sockets), so that pnpm test:unit needs no network at all.
import { freePort } from '@mg/test-helpers';
import { DenonSim } from './test-support/denon-sim.js';
import { COMMAND_TOPIC, isReply, serialGateway } from './test-support/serial-gateway.js';

// serial2mqtt in memory (the testing kit, the shipped map) against the simulated receiver on
// TCP: what MQTT sends reaches the device as the profile says, and what the device says
// reaches MQTT. The pty link, bursts, unplugging and garbage are in serial-interface.int.test.ts.
let sim: DenonSim;
beforeAll(async () => (sim = await DenonSim.start({ tcp: true })));
afterAll(async () => sim?.close());

describe('SerialInterface with the denon-avr profile, through a gateway in memory', () => {
  let gw: ReturnType<typeof serialGateway>;
  beforeAll(async () => {
    Object.assign(sim.state, { power: 'ON', volume: 40, mute: false, source: 'CD' });
    gw = serialGateway({ port: sim.tcpAddress, replytimeout: 0.2 });
    await gw.start();
    // The answer to SI?, the last query at connection: from then on only the tests talk.
    await gw.waitForPayload((p) => p.action === 'input');
  });
  afterAll(async () => gw?.stop());

  it('says the device is connected, then publishes the answers to the queries as statuses', () => {
    expect(gw.payloads()).toEqual([
      { action: 'connection', state: 'connected' },
      { action: 'power', state: 'on' },
      { action: 'mute', state: 'off' },
      { action: 'volume', level: 40 },
      { action: 'volume_max', level: 98 },
      { action: 'input', source: 'CD' },
    ]);
  });

  it('VOL_SET with level 45 reaches the device as MV45 and is answered OK, with the VOLUME status', async () => {
    await gw.receive(COMMAND_TOPIC, { action: 'vol_set', level: 45 });
    const reply = await gw.waitForPayload(isReply('vol_set'));
    expect(reply).toEqual({ action: 'vol_set', response: 'OK', reason: 'confirmed by the device: MV45' });
    expect(sim.rawReceived.endsWith('MV45\r')).toBe(true);
    expect(sim.state.volume).toBe(45);
    expect(gw.payloads()).toContainEqual({ action: 'volume', level: 45 });
  });

  it('MV455 from the device becomes a VOLUME status with level 45.5', async () => {
    sim.send('MV455');
    expect(await gw.waitForPayload((p) => p.action === 'volume' && p.level === 45.5)).toEqual({ action: 'volume', level: 45.5 });
  });

  it('carries the correlation of a command to its reply', async () => {
    await gw.receive(COMMAND_TOPIC, { action: 'mute_on', correlation: 'req-17' });
    expect(await gw.waitForPayload(isReply('mute_on'))).toEqual({
      action: 'mute_on',
      response: 'OK',
      reason: 'confirmed by the device: MUON',
      correlation: 'req-17',
    });
  });

  it('answers an action the profile lacks, or an argument it refuses, with an ERROR reply, sending nothing', async () => {
    const before = sim.received.length;
    await gw.receive(COMMAND_TOPIC, 'eject_disc');
    expect(await gw.waitForPayload(isReply('eject_disc'))).toEqual({
      action: 'eject_disc',
      response: 'ERROR',
      reason: 'unknown action "eject_disc" for this device (known: POWER_ON, POWER_OFF, MUTE_ON, MUTE_OFF, VOL_UP, VOL_DOWN, VOL_SET, INPUT_SET)',
    });
    await gw.receive(COMMAND_TOPIC, { action: 'vol_set', level: 'loud' });
    const refused = await gw.waitForPayload((p) => isReply('vol_set')(p) && p.response === 'ERROR');
    expect(refused.reason).toBe('argument "level" must be a number between 0 and 98 in steps of 0.5, got "loud"');
    expect(sim.received.length).toBe(before);
  });

  it('ignores a command for another device, and takes one for every device of its kind', async () => {
    const before = sim.received.length;
    const replies = () => gw.payloads().filter(isReply('power_on')).length;
    const already = replies();
    await gw.receive('home/audiovideo//living_room/projector/tester/C', 'power_on');
    await gw.receive('home/audiovideo//kitchen/receiver/tester/C', 'power_on');
    await gw.receive('home/audiovideo////tester/C', { action: 'input_set', source: 'tuner' });
    // Commands are taken in order: once the last is answered (on its own topic), the first two were passed over.
    const reply = await gw.waitFor((m) => m.topic === 'home/audiovideo////serial2mqtt/S', { since: 'start' });
    expect(JSON.parse(reply.payload)).toEqual({ action: 'input_set', response: 'OK', reason: 'confirmed by the device: SITUNER' });
    expect(replies()).toBe(already);
    expect(sim.received.slice(before).map((r) => r.text)).toEqual(['SITUNER']);
  });

  it('answers ERROR when the device does not confirm within replytimeout', async () => {
    sim.respond = false;
    try {
      await gw.receive(COMMAND_TOPIC, 'mute_off');
      expect(await gw.waitForPayload(isReply('mute_off'))).toEqual({
        action: 'mute_off',
        response: 'ERROR',
        reason: 'no answer from the device within 200 ms',
      });
    } finally {
      sim.respond = true;
    }
  });
});

describe('SerialInterface with the device away', () => {
  it('starts without it, says so, answers commands with ERROR, and connects once it is there', async () => {
    const port = await freePort();
    const gw = serialGateway({ port: `tcp://127.0.0.1:${port}` });
    try {
      await gw.start();
      expect(gw.payloads()).toEqual([{ action: 'connection', state: 'disconnected', reason: 'ECONNREFUSED' }]);
      await gw.receive(COMMAND_TOPIC, 'power_on');
      expect(await gw.waitForPayload(isReply('power_on'))).toEqual({
        action: 'power_on',
        response: 'ERROR',
        reason: 'the device is not connected; the command was not sent',
      });
      const late = await DenonSim.start({ tcp: true, tcpPort: port });
      try {
        await gw.waitForPayload((p) => p.action === 'connection' && p.state === 'connected');
        await gw.waitForPayload((p) => p.action === 'input');
        expect(gw.counters.interfaceErrors).toBe(0);
      } finally {
        await gw.stop();
        await late.close();
      }
    } finally {
      await gw.stop();
    }
  });

  it('refuses to start with a profile file that does not exist, saying where it looked', async () => {
    const gw = serialGateway({ port: 'tcp://127.0.0.1:9', profile: 'no-such-dir/my-avr.json' });
    await expect(gw.start()).rejects.toThrow(`could not start: profile ${process.cwd()}/no-such-dir/my-avr.json does not exist`);
  });
});
