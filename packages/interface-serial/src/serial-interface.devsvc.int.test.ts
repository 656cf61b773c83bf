// The device services of core and @mg/device-io as serial2mqtt uses them: the device's
// availability following its connection, the profile's periodic queries on the poll scheduler,
// and polls on demand from MQTT; through the testing kit (the shipped map, root home) against
// the simulated receiver on TCP.
import { freePort } from '@mg/test-helpers';
import { DenonSim } from './test-support/denon-sim.js';
import { denonProfileVariant, serialGateway, until } from './test-support/serial-gateway.js';

jest.setTimeout(30_000);

const POLL_TOPIC = 'home/serial2mqtt/poll';

let sim: DenonSim;
beforeAll(async () => (sim = await DenonSim.start({ tcp: true, state: { power: 'ON', volume: 40, mute: false, source: 'CD' } })));
afterAll(async () => sim?.close());

/** How many times the receiver got `line` since `from` (an index into sim.received). */
const got = (line: string, from = 0) => sim.received.slice(from).filter((r) => r.text === line).length;

describe('a profile with periodic queries', () => {
  // MU? every 0.2 s; MV? hourly, so that it comes only at connection and on demand. Mute is
  // published on change only: the answers to its polls repeat the same value.
  const profile = denonProfileVariant('denon-avr-polled', (p) => ({
    ...p,
    capabilities: (p.capabilities as { id: string }[]).map((c) => (c.id === 'mute' ? { ...c, publish: { changeOnly: true } } : c)),
    queries: {
      atStart: ['PW?', 'SI?'],
      poll: [
        { seconds: 3600, send: ['MV?'] },
        { seconds: 0.2, send: ['MU?'] },
      ],
    },
  }));
  let gw: ReturnType<typeof serialGateway>;
  beforeAll(async () => {
    gw = serialGateway({ port: sim.tcpAddress, profile: profile.path, deviceid: 'avr' });
    await gw.start();
  });
  afterAll(async () => {
    await gw?.stop();
    profile.cleanup();
  });

  it('polls each item at its own interval while the device is connected', async () => {
    const from = sim.received.length;
    await until(() => got('MU?', from) >= 3, 'three polls of MU?', 10_000);
    // The hourly item went once, at connection.
    expect(got('MV?')).toBe(1);
  });

  it("publishes a polled value under its capability's policy: the same mute again is not published", async () => {
    await until(() => gw.counters.suppressed >= 3, 'three repeated MUTE statuses withheld', 10_000);
    expect(gw.payloads().filter((p) => p.action === 'mute')).toEqual([{ action: 'mute', state: 'off' }]);
    sim.send('MUON'); // from the remote
    await gw.waitForPayload((p) => p.action === 'mute' && p.state === 'on');
  });

  it('a poll on demand for the device sends its periodic queries at once', async () => {
    const from = sim.received.length;
    await gw.receive(POLL_TOPIC, 'avr');
    await until(() => got('MV?', from) === 1, 'MV? asked on demand');
    expect(got('MV?')).toBe(2);
    // And for every device.
    const again = sim.received.length;
    await gw.receive(POLL_TOPIC, '');
    await until(() => got('MV?', again) === 1, 'MV? asked on demand for all');
  });

  it('stops polling while the device is away, and polls again once it is back', async () => {
    await sim.stop();
    await gw.waitForPayload((p) => p.action === 'connection' && p.state === 'disconnected');
    expect(gw.available('avr')).toBe(false);
    const from = sim.received.length;
    await sim.restart();
    const connections = () => gw.payloads().filter((p) => p.action === 'connection' && p.state === 'connected').length;
    await until(() => connections() === 2 && gw.available('avr') === true, 'the receiver back');
    await until(() => got('MU?', from) >= 2 && got('MV?', from) === 1 && got('PW?', from) === 1, 'the queries after the restart', 10_000);
  });
});

describe("the device's availability", () => {
  it('is offline while the receiver is absent, from the first attempt at start, and online once it answers', async () => {
    const late = await freePort();
    const topic = 'home/serial2mqtt/denon-avr/availability';
    const gw = serialGateway({ port: `tcp://127.0.0.1:${late}` });
    let plugged: DenonSim | undefined;
    try {
      await gw.start();
      expect(gw.available('denon-avr')).toBe(false);
      expect(await gw.waitFor((m) => m.topic === topic, { since: 'start' })).toMatchObject({ payload: 'offline', retain: true });
      plugged = await DenonSim.start({ tcp: true, tcpPort: late });
      expect(await gw.waitFor((m) => m.topic === topic && m.payload === 'online', { since: 'start' })).toMatchObject({ retain: true });
      expect(gw.available('denon-avr')).toBe(true);
    } finally {
      await gw.stop();
      await plugged?.close();
    }
  });
});

describe('the shipped denon-avr profile (no periodic queries)', () => {
  let gw: ReturnType<typeof serialGateway>;
  beforeAll(async () => {
    gw = serialGateway({ port: sim.tcpAddress });
    await gw.start();
    await until(() => gw.available('denon-avr') === true, 'the receiver online');
  });
  afterAll(async () => gw?.stop());

  it('a poll on demand asks the receiver its whole state again (the queries at connection)', async () => {
    await gw.waitForPayload((p) => p.action === 'input');
    const from = sim.received.length;
    await gw.receive(POLL_TOPIC, 'denon-avr');
    await until(() => ['PW?', 'MU?', 'MV?', 'SI?'].every((q) => got(q, from) === 1), 'the atStart queries on demand');
  });
});
