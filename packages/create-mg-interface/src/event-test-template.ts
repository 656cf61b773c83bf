// The tests of an event-driven interface package: the testing kit and the simulated device.
import type { Names } from './names.js';

/** Event mode's tests: the interface through a gateway in memory (the kit) and the simulated device. */
export function eventTest(n: Names): string {
  return `import { join } from 'node:path';
import { createTestContext, createTestGateway, type TestGateway } from '@mg/core/testing';
import { ${n.className} } from './${n.module}.js';
import { DeviceSim } from './test-support/device-sim.js';

const STATUS = 'home/lighting/${n.name}/kitchen/lamp/${n.app}/S';
// Topics of the framework's device services ([MQTT] deviceavailabilitytopic and polltopic).
const AVAILABILITY = 'home/${n.app}/lamp/availability';
const POLL = 'home/${n.app}/poll';

// The testing kit: the interface through a whole gateway in memory (map included), no broker;
// the device is simulated on a real TCP socket.
const running: TestGateway[] = [];
function gateway(port: string): TestGateway {
  const gw = createTestGateway(${n.className}, {
    appName: '${n.app}',
    options: { port },
    mqtt: { mapping: true, mapfilename: join(__dirname, '..', '${n.name}.map.json') },
  });
  running.push(gw);
  return gw;
}

/** Resolves once the gateway says the lamp is reachable (or not): at once if it is so already, else at that change. */
function lampAvailable(gw: TestGateway, available: boolean, timeoutMs = 5_000): Promise<void> {
  if (gw.available('lamp') === available) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listener = (change: { device: string; available: boolean }) => {
      if (change.device === 'lamp' && change.available === available) done();
    };
    const timer = setTimeout(() => done(new Error(\`the lamp did not go \${available ? 'online' : 'offline'} within \${timeoutMs} ms\`)), timeoutMs);
    const done = (err?: Error) => {
      clearTimeout(timer);
      gw.gateway.off('device-availability', listener);
      if (err) reject(err);
      else resolve();
    };
    gw.gateway.on('device-availability', listener);
  });
}

/** The lamp's availability as last published. */
const lastAvailability = (gw: TestGateway) => gw.published.filter((m) => m.topic === AVAILABILITY).at(-1);

let sim: DeviceSim;
beforeEach(async () => (sim = await DeviceSim.start()));
afterEach(async () => {
  await Promise.all(running.splice(0).map((gw) => gw.stop()));
  await sim.close();
});

describe('${n.className}', () => {
  it('refuses to start without [INTERFACE] port, saying what to put there', () => {
    expect(() => createTestContext(${n.className}, {})).toThrow('[INTERFACE] port: is required: give the device address');
  });

  it('sends a command from MQTT to the device and replies once the device confirms', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    await lampAvailable(gw, true); // the transport has connected
    await gw.receive('home/lighting/${n.name}/kitchen/lamp/me/C', 'light_on');
    const reply = await gw.waitFor((m) => m.topic === STATUS && m.payload.startsWith('{'));
    expect(JSON.parse(reply.payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'LIGHT_ON done' });
    expect(sim.received).toContain('LIGHT_ON');
  });

  it('publishes what the device reports', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    await lampAvailable(gw, true);
    sim.report('STATE LIGHT_ON');
    await gw.waitFor((m) => m.topic === STATUS && m.payload === 'light_on');
  });

  it('reads the device when it connects, and again on a poll request from MQTT', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    const read = await gw.waitFor((m) => m.topic === STATUS && m.payload === 'light_off'); // the status query at connection
    expect(read.retain).toBe(true); // the capability's publish policy
    sim.state = 'LIGHT_ON'; // changed without a report: only a query sees it
    await gw.receive(POLL, 'lamp');
    await gw.waitFor((m) => m.topic === STATUS && m.payload === 'light_on');
  });

  it('says the lamp is offline while the device is away, and online again once it is back', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    await lampAvailable(gw, true);
    await sim.close(); // unplugged
    await lampAvailable(gw, false);
    expect(lastAvailability(gw)).toMatchObject({ payload: 'offline', retain: true });
    sim = await DeviceSim.start(sim.port); // back on its address: the transport reconnects by itself
    await lampAvailable(gw, true);
    expect(lastAvailability(gw)).toMatchObject({ payload: 'online', retain: true });
  }, 15_000);

  it('stays up when the device is absent, says it is offline, and answers commands with an ERROR reply', async () => {
    await sim.close();
    const gw = gateway(sim.address);
    await gw.start();
    expect(gw.available('lamp')).toBe(false);
    await gw.receive('home/lighting/${n.name}/kitchen/lamp/me/C', 'light_on');
    const reply = await gw.waitFor((m) => m.topic === STATUS);
    expect(JSON.parse(reply.payload)).toMatchObject({ action: 'light_on', response: 'ERROR' });
    sim = await DeviceSim.start(); // for afterEach
  });
});
`;
}
