import { LineTransport, type StateChange } from '@mg/device-io';
import type { CompiledProfile, ParsedStatus } from './profile/compiled.js';
import { loadProfileFile } from './profile/load.js';
import { shippedProfilePath } from './profile/shipped.js';
import { DenonSim } from './test-support/denon-sim.js';
import { spacingShortfall } from './test-support/spacing.js';

// The shipped Denon profile driving the simulated receiver through @mg/device-io, over TCP and
// over a socat pty pair: what the interface class will do, minus MQTT.
jest.setTimeout(30_000);

const INITIAL = { power: 'ON', volume: 40, mute: false, source: 'CD' } as const;
let profile: CompiledProfile;
let sim: DenonSim;

beforeAll(async () => {
  profile = loadProfileFile(shippedProfilePath('denon-avr')!);
  sim = await DenonSim.start({ tcp: true, pty: true, state: INITIAL });
});
afterAll(async () => sim?.close());

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A transport set up from the profile, with what it saw: statuses, unknown lines, overflows, states. */
function connect(address: string) {
  const transport = new LineTransport({
    address,
    name: 'denon-sim',
    ...profile.transportOptions(),
    maxQueuedWrites: 200,
    reconnect: { minMs: 50, maxMs: 200 },
  });
  const seen = { statuses: [] as ParsedStatus[], unknown: [] as string[], overflows: 0, states: [] as StateChange[] };
  transport.on('state', (s) => {
    seen.states.push(s);
    // Writes are not kept while disconnected: ask again on every connection.
    if (s.state === 'connected') for (const query of profile.queries.atStart) transport.write(query).catch(() => undefined);
  });
  transport.on('line', (line) => {
    const status = profile.parseLine(line);
    if (status) seen.statuses.push(status);
    else seen.unknown.push(line);
  });
  transport.on('overflow', () => (seen.overflows += 1));
  transport.start();
  return { transport, seen };
}

const has = (statuses: readonly ParsedStatus[], action: string, args: Record<string, unknown>) =>
  statuses.some((s) => s.action === action && JSON.stringify({ ...s.arguments }) === JSON.stringify(args));

describe.each([
  ['TCP', () => sim.tcpAddress, 'tcp'],
  ['a pty pair', () => sim.ptyPath, 'pty'],
] as const)('the Denon profile over %s', (_name, address, via) => {
  let link: ReturnType<typeof connect>;
  beforeAll(async () => {
    Object.assign(sim.state, INITIAL);
    link = connect(address());
    // The answer to SI?, the last query: then the queue is empty and each test starts clean.
    await waitFor(() => link.seen.statuses.some((s) => s.action === 'INPUT'), 'the answers to the queries');
  });
  afterAll(async () => link?.transport.stop());

  const command = (action: string, args?: Record<string, unknown>) => {
    const result = profile.commandFor(action, args);
    if (!result.ok) throw new Error(result.reason);
    return result.line;
  };
  const request = (action: string, args?: Record<string, unknown>) =>
    link.transport.request(command(action, args), { match: profile.confirmationFor(action)!, consume: false, timeoutMs: 5_000 });

  it('sends the queries at start, and the answers become statuses', () => {
    expect(sim.received.filter((r) => r.via === via).map((r) => r.text)).toEqual(['PW?', 'MU?', 'MV?', 'SI?']);
    expect(link.seen.statuses.map((s) => [s.action, { ...s.arguments }])).toEqual([
      ['POWER', { state: 'on' }],
      ['MUTE', { state: 'off' }],
      ['VOLUME', { level: 40 }],
      ['VOLUME_MAX', { level: 98 }],
      ['INPUT', { source: 'CD' }],
    ]);
  });

  it('VOL_SET 45 reaches the receiver as MV45\\r and is confirmed; 45.5 comes back as a VOLUME of 45.5', async () => {
    await expect(request('VOL_SET', { level: 45 })).resolves.toBe('MV45');
    expect(sim.rawReceived.endsWith('MV45\r')).toBe(true);
    expect(sim.state.volume).toBe(45);
    await expect(request('VOL_SET', { level: '45.5' })).resolves.toBe('MV455');
    expect(sim.rawReceived.endsWith('MV455\r')).toBe(true);
    await waitFor(() => has(link.seen.statuses, 'VOLUME', { level: 45.5 }), 'the VOLUME 45.5 status');
    await expect(request('INPUT_SET', { source: 'tuner' })).resolves.toBe('SITUNER');
    await expect(request('MUTE_ON')).resolves.toBe('MUON');
    expect(sim.state).toMatchObject({ volume: 45.5, source: 'TUNER', mute: true });
  });

  it('keeps 50 ms between the commands of a burst of 100', async () => {
    const from = sim.received.length;
    const lines = Array.from({ length: 100 }, (_, i) => command('VOL_SET', { level: (i % 60) + (i % 2) * 0.5 }));
    await Promise.all(lines.map((l) => link.transport.write(l)));
    await waitFor(() => sim.received.length >= from + 100, 'the burst to arrive');
    const burst = sim.received.slice(from);
    expect(burst.map((r) => r.text)).toEqual(lines);
    // Arrival times are read by the simulator in this process: a command read late (the event
    // loop busy elsewhere) shortens the gaps around it, seen here as 79 then 43 ms. The worst
    // window's shortfall stays within that read delay when the sender keeps the spacing (up to
    // 300 ms of it is tolerated: a loaded machine), and reaches 2.5 s with half the spacing.
    expect(
      spacingShortfall(
        burst.map((r) => r.at),
        50,
      ),
    ).toBeLessThan(300);
  });

  it('garbage, binary noise, over-long and unknown lines do not break the next good line', async () => {
    const statuses = link.seen.statuses.length;
    const unknown = link.seen.unknown.length;
    const overflows = link.seen.overflows;
    sim.sendRaw('\x00\x01\xff\xfe'); // garbage bytes with no terminator: they join the noise's line
    sim.injectNoise(200, 7);
    sim.send('MUOFF');
    sim.sendOverlong(5_000);
    sim.send('PWON');
    sim.sendUnknown();
    sim.send('MV50');
    await waitFor(() => link.seen.statuses.length >= statuses + 3, 'the three good lines');
    expect(link.seen.statuses.slice(statuses).map((s) => [s.action, { ...s.arguments }])).toEqual([
      ['MUTE', { state: 'off' }],
      ['POWER', { state: 'on' }],
      ['VOLUME', { level: 50 }],
    ]);
    expect(link.seen.unknown.length - unknown).toBe(2); // the noise, and MSDOLBY ATMOS
    expect(link.seen.overflows - overflows).toBe(1);
  });

  it.each(['kill', 'stop'] as const)('the receiver unplugged (%s) and back: the link comes back by itself and asks again', async (unplug) => {
    await sim[unplug]();
    await waitFor(() => link.transport.state !== 'connected', 'the unplugged receiver to be noticed');
    sim.state.volume += 0.5; // changed while away: the queries must bring it back
    const from = sim.received.length;
    const seen = link.seen.statuses.length;
    await sim.restart();
    await waitFor(() => has(link.seen.statuses.slice(seen), 'INPUT', { source: sim.state.source }), 'the answers after the restart');
    expect(has(link.seen.statuses.slice(seen), 'VOLUME', { level: sim.state.volume })).toBe(true);
    expect(sim.received.slice(from).map((r) => r.text)).toEqual(['PW?', 'MU?', 'MV?', 'SI?']);
    await expect(request('VOL_SET', { level: 31 })).resolves.toBe('MV31');
  });
});

it('a command the receiver does not confirm times out (in standby it answers only PW)', async () => {
  const link = connect(sim.tcpAddress);
  try {
    await waitFor(() => link.transport.state === 'connected', 'the connection');
    sim.state.power = 'STANDBY';
    const mute = profile.commandFor('MUTE_ON');
    if (!mute.ok) throw new Error(mute.reason);
    await expect(link.transport.request(mute.line, { match: profile.confirmationFor('MUTE_ON')!, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'DEVICE_IO_TIMEOUT',
    });
  } finally {
    sim.state.power = 'ON';
    await link.transport.stop();
  }
});
