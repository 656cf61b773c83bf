// The device the denon-avr profile declares, driven by a convention: a toy extension (not Home
// Assistant or Homie, which have their own tests) in a gateway in memory, against the
// simulated receiver on TCP. An integration test: it opens sockets.
import type { CapabilityValue } from '@mg/core';
import type { GatewayExtension } from '@mg/core/extensions';
import { createTestGateway, type TestGateway } from '@mg/core/testing';
import { SerialInterface } from './serial-interface.js';
import { DenonSim } from './test-support/denon-sim.js';
import { MAP_FILE, STATUS_TOPIC } from './test-support/serial-gateway.js';

/** `toy/<device>/<capability>` for states, `/set` for writes: the least a convention does. */
const toy: GatewayExtension<Record<string, never>> = {
  section: 'TOY',
  options: {},
  description: 'A toy convention.',
  create(ctx) {
    return {
      start() {
        ctx.route('toy/#', (topic, payload) => {
          const [, device, capability, set] = topic.split('/');
          if (set !== 'set') return;
          const text = payload.toString();
          const value: CapabilityValue = text === 'true' ? true : text === 'false' ? false : /^-?\d/.test(text) ? Number(text) : text;
          return { device: device!, capability: capability!, value };
        });
        ctx.subscribe('toy/+/+/set');
        ctx.devices.onState((d, c, v) => ctx.publish(`toy/${d.id}/${c.id}`, String(v), { retain: true }));
      },
    };
  },
};

let sim: DenonSim;
let gw: TestGateway;
beforeAll(async () => {
  sim = await DenonSim.start({ tcp: true, state: { power: 'ON', volume: 40, mute: false, source: 'CD' } });
  gw = createTestGateway(SerialInterface, {
    appName: 'serial2mqtt',
    options: { port: sim.tcpAddress, profile: 'denon-avr', function: 'AudioVideo', location: 'LivingRoom', device: 'Receiver', reconnectmin: 0.05 },
    mqtt: { mapping: true, mapfilename: MAP_FILE },
    extensions: [toy],
  });
  await gw.start();
});
afterAll(async () => {
  await gw?.stop();
  await sim?.close();
});

const state = (capability: string, value: string) => gw.waitFor((m) => m.topic === `toy/denon-avr/${capability}` && m.payload === value, { since: 'start' });

it("reads each capability's state from the statuses the receiver's answers become", async () => {
  await Promise.all([state('power', 'true'), state('mute', 'false'), state('volume', '40'), state('input', 'CD')]);
});

it.each([
  ['volume', '45.5', 'MV455', '45.5'],
  ['mute', 'true', 'MUON', 'true'],
  ['input', 'SAT/CBL', 'SISAT/CBL', 'SAT/CBL'],
  ['power', 'false', 'PWSTANDBY', 'false'],
])('a write of %s %s reaches the receiver as %s, and its answer is the new state', async (capability, written, line, shown) => {
  await gw.receive(`toy/denon-avr/${capability}/set`, written);
  await state(capability, shown);
  expect(sim.rawReceived.endsWith(`${line}\r`)).toBe(true);
});

it('answers the writes like any command, on the receiver status topic', () => {
  const replies = gw.published.filter((m) => m.topic === STATUS_TOPIC && m.payload.includes('"response"')).map((m) => JSON.parse(m.payload));
  expect(replies).toEqual([
    expect.objectContaining({ action: 'vol_set', response: 'OK' }),
    expect.objectContaining({ action: 'mute_on', response: 'OK' }),
    expect.objectContaining({ action: 'input_set', response: 'OK' }),
    expect.objectContaining({ action: 'power_off', response: 'OK' }),
  ]);
});
