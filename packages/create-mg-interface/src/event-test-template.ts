// The tests of an event-driven interface package: the testing kit and the simulated device.
import type { Names } from './names.js';

/** Event mode's tests: the interface through a gateway in memory (the kit) and the simulated device. No sleeps: each test waits for what it expects. */
export function eventTest(n: Names): string {
  return `import { join } from 'node:path';
import { createTestContext, createTestGateway, type TestGateway } from '@mg/core/testing';
import { ${n.className} } from './${n.module}.js';
import { DeviceSim } from './test-support/device-sim.js';

const STATUS = 'home/lighting/${n.name}/kitchen/lamp/${n.app}/S';
const COMMAND = 'home/lighting/${n.name}/kitchen/lamp/me/C';
// Topics of the framework's device services ([MQTT] deviceavailabilitytopic and polltopic).
const AVAILABILITY = 'home/${n.app}/lamp/availability';
const POLL = 'home/${n.app}/poll';

// The testing kit: the interface through a whole gateway in memory (map included), no broker;
// the device is simulated on a real TCP socket. gw.waitFor() waits for what is published after
// it is called: start it, then do what makes the message come.
const running: TestGateway[] = [];
function gateway(port: string): TestGateway {
  const gw = createTestGateway(${n.className}, {
    appName: '${n.app}',
    options: { port, reconnectmin: 0.05, reconnectmax: 0.5 }, // quick reconnection: no waiting in tests
    mqtt: { mapping: true, mapfilename: join(__dirname, '..', '${n.name}.map.json') },
  });
  running.push(gw);
  return gw;
}

/** A gateway started and done reading the device at connection. */
async function connected(sim: DeviceSim): Promise<TestGateway> {
  const gw = gateway(sim.address);
  const read = gw.waitFor(STATUS, 'light_off');
  await gw.start();
  await read;
  return gw;
}

let sim: DeviceSim;
beforeEach(async () => (sim = await DeviceSim.start()));
afterEach(async () => {
  await Promise.all(running.splice(0).map((gw) => gw.stop()));
  await sim.close();
});

describe('${n.className}', () => {
  it('refuses a bad [INTERFACE] port, saying what is wrong', () => {
    expect(() => createTestContext(${n.className}, { port: 'tcp://127.0.0.1:abc' })).toThrow('[INTERFACE] port');
  });

  it('sends a command from MQTT to the device and replies once the device confirms', async () => {
    const gw = await connected(sim);
    const reply = gw.waitFor(STATUS, { action: 'light_on', response: 'OK' });
    await gw.receive(COMMAND, 'light_on');
    await reply;
    expect(sim.received).toContain('LIGHT ON');
  });

  it('sends a command again while the device is busy, and replies with its refusal in its words', async () => {
    const gw = await connected(sim);
    sim.busy = 1;
    const ok = gw.waitFor(STATUS, { action: 'light_on', response: 'OK' });
    await gw.receive(COMMAND, 'light_on');
    await ok;
    expect(sim.received.filter((l) => l === 'LIGHT ON')).toHaveLength(2);
    sim.refusal = 'OVERHEATED';
    const refused = gw.waitFor(STATUS, { action: 'light_on', response: 'ERROR', reason: /OVERHEATED/ });
    await gw.receive(COMMAND, 'light_on');
    await refused;
  });

  it('publishes what the device reports', async () => {
    const gw = await connected(sim);
    const status = gw.waitFor(STATUS, 'light_on');
    sim.report('STATE LIGHT_ON');
    await status;
  });

  it('reads the device again after a command, and on a poll request from MQTT', async () => {
    const gw = await connected(sim);
    const afterCommand = gw.waitFor(STATUS, 'light_on');
    await gw.receive(COMMAND, 'light_on');
    await afterCommand;
    sim.state = 'LIGHT_OFF'; // changed without a report: only a query sees it
    const polled = gw.waitFor(STATUS, 'light_off');
    await gw.receive(POLL, 'lamp');
    await polled;
  });

  it('says the lamp is offline while the device is away, and online again once it is back, read anew', async () => {
    const gw = await connected(sim);
    const offline = gw.waitFor(AVAILABILITY, 'offline', { timeoutMs: 10_000 });
    await sim.close(); // unplugged
    await offline;
    expect(gw.available('lamp')).toBe(false);
    const online = gw.waitFor({ topic: AVAILABILITY, payload: 'online', retain: true }, { timeoutMs: 10_000 });
    sim = await DeviceSim.start(sim.port); // back on its address: the transport reconnects by itself
    sim.state = 'LIGHT_ON'; // changed while away
    const readAgain = gw.waitFor(STATUS, 'light_on', { timeoutMs: 10_000 });
    await Promise.all([online, readAgain]);
  }, 20_000);

  it('stays up when the device is absent, says it is offline, and answers commands with an ERROR reply', async () => {
    await sim.close();
    const gw = gateway(sim.address);
    await gw.start();
    expect(gw.available('lamp')).toBe(false);
    const reply = gw.waitFor(STATUS, { action: 'light_on', response: 'ERROR', reason: /not connected/ });
    await gw.receive(COMMAND, 'light_on');
    await reply;
    sim = await DeviceSim.start(); // for afterEach
  });
});
`;
}
