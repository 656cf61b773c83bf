import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, spawnNode, uniqueRoot, waitFor, type TestClient } from '@mg/test-helpers';
import { DenonSim } from './test-support/denon-sim.js';

// The real serial2mqtt, built, as a user runs it: against the shared broker, with the shipped
// denon-avr profile and map (its own topic root), and the simulated receiver on a socat pty pair.
jest.setTimeout(40_000);

const PKG = join(__dirname, '..');
// The bin as npm links it (it loads dist/launcher.js).
const LAUNCHER = join(PKG, 'bin', 'serial2mqtt.js');
const { hostname, port } = new URL(SHARED_BROKER_URL);

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'serial2mqtt-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A configuration (and map, with `root`) in `sub` of the test's directory; `iface` lines go to [INTERFACE]. */
function configure(root: string, iface: string[], sub = '.'): string {
  mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, sub, 'avr.map.json'), readFileSync(join(PKG, 'serial2mqtt.map.json'), 'utf8').replace(/"home/g, `"${root}`));
  const conf = join(dir, sub, 'avr.conf');
  writeFileSync(
    conf,
    [
      '[INTERFACE]',
      ...iface,
      '[MQTT]',
      `host: ${hostname}`,
      `port: ${port || 1883}`,
      'mapping: on',
      'mapfilename: avr.map.json',
      '[LOG]',
      'consolelevel: INFO',
      '',
    ].join('\n'),
  );
  return conf;
}

const run = (args: string[]) => spawnNode(LAUNCHER, args, { cwd: dir, env: { ...process.env, MG_DEBUG: '' } });

it('sends MV45\\r for VOL_SET 45, publishes VOLUME 45.5 for MV455, and survives the receiver going away and coming back', async () => {
  const sim = await DenonSim.start({ tcp: false, pty: true, state: { power: 'ON', volume: 40, mute: false, source: 'CD' } });
  const root = uniqueRoot('serial');
  const conf = configure(root, [
    `port: ${sim.ptyPath}`,
    'profile: denon-avr',
    'function: AudioVideo',
    'location: LivingRoom',
    'device: Receiver',
    'reconnectmin: 0.1',
    'reconnectmax: 0.5',
  ]);
  const statusTopic = `${root}/audiovideo//living_room/receiver/serial2mqtt/S`;
  const commandTopic = `${root}/audiovideo//living_room/receiver/tester/C`;
  let client: TestClient | undefined;
  const gw = run(['-c', conf]);
  const payloads = () => client!.messages.filter((m) => m.topic === statusTopic).map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  const status = (what: string, match: (p: Record<string, unknown>) => boolean) =>
    client!.waitFor((m) => m.topic === statusTopic && match(JSON.parse(m.payload) as Record<string, unknown>), what);
  try {
    client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${root}/#`);
    await waitFor(() => /subscribed to/.test(gw.output()), 'serial2mqtt to subscribe', 15_000);
    // Pushed before the broker connection: all of them arrive, not only the last (one topic for all).
    await status('the INPUT status', (p) => p.action === 'input');
    expect(payloads()).toEqual([
      { action: 'connection', state: 'connected' },
      { action: 'power', state: 'on' },
      { action: 'mute', state: 'off' },
      { action: 'volume', level: 40 },
      { action: 'volume_max', level: 98 },
      { action: 'input', source: 'CD' },
    ]);

    await client.publish(commandTopic, JSON.stringify({ action: 'vol_set', level: 45 }));
    const ok = await status('the VOL_SET reply', (p) => p.action === 'vol_set');
    expect(JSON.parse(ok.payload)).toEqual({ action: 'vol_set', response: 'OK', reason: 'confirmed by the device: MV45' });
    expect(sim.rawReceived.endsWith('MV45\r')).toBe(true);

    sim.send('MV455');
    await status('VOLUME 45.5', (p) => p.action === 'volume' && p.level === 45.5);

    const seen = payloads().length;
    await sim.kill(); // socat killed: the pty disappears, as an unplugged USB adapter does
    await status('CONNECTION disconnected', (p) => p.action === 'connection' && p.state === 'disconnected');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a few failed attempts
    expect(gw.child.exitCode).toBeNull();
    await sim.restart();
    await waitFor(
      () =>
        payloads()
          .slice(seen)
          .some((p) => p.action === 'connection' && p.state === 'connected'),
      'CONNECTION connected again',
      10_000,
    );
    expect(
      payloads()
        .slice(seen)
        .filter((p) => p.action === 'connection')
        .map((p) => p.state),
    ).toEqual(['disconnected', 'connected']);
    await client.publish(commandTopic, JSON.stringify({ action: 'vol_set', level: 30, correlation: 'after-restart' }));
    const again = await client.waitFor((m) => m.topic === statusTopic && m.payload.includes('after-restart'), 'the reply after the restart');
    expect(JSON.parse(again.payload)).toEqual({ action: 'vol_set', response: 'OK', reason: 'confirmed by the device: MV30', correlation: 'after-restart' });
    // The state changes were logged once each (standard output; warnings are also on standard error).
    expect(gw.out().match(/device disconnected/g)).toHaveLength(1);
    expect(gw.out().match(/device connected/g)).toHaveLength(2);
    gw.child.kill('SIGTERM');
    expect(await gw.exit).toBe(0);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserial2mqtt output:\n${gw.output()}`);
  } finally {
    gw.child.kill('SIGKILL');
    await client?.end();
    await sim.close();
  }
});

it('--check loads the profile a configuration names, next to it, and names the JSON path of each problem', async () => {
  // The configuration in etc/, run from the directory above: relative profiles are found next to it.
  const missing = configure('home', ['port: tcp://127.0.0.1:23', 'profile: avr.json'], 'etc');
  const notThere = run(['--check', '-c', missing]);
  expect(await notThere.exit).toBe(1);
  expect(notThere.err()).toContain(`${missing}:3: [INTERFACE] profile = "avr.json": profile ${join(dir, 'etc', 'avr.json')} does not exist`);

  const broken = { name: 'avr', description: 'x', commands: { VOL_SET: { send: 'MV{lvl}' } }, statuses: [{ match: 'MV(\\d\\d', action: 'VOLUME' }] };
  writeFileSync(join(dir, 'etc', 'avr.json'), JSON.stringify(broken));
  const check = run(['--check', '-c', missing]);
  expect(await check.exit).toBe(1);
  expect(check.err()).toContain(`[INTERFACE] profile = "avr.json": ${join(dir, 'etc', 'avr.json')}: invalid profile, 2 problems:`);
  expect(check.err()).toContain('  commands.VOL_SET.send: placeholder {lvl} is not a declared argument');
  expect(check.err()).toContain('  statuses[0].match: invalid regular expression');
  expect(check.err()).not.toMatch(/\n\s+at /);
  // A run stops at once with the same words.
  const start = run(['-c', missing]);
  expect(await start.exit).toBe(1);
  expect(start.err()).toContain('invalid profile, 2 problems:');

  // Core's rules for capabilities, in the profile's terms: the path is the profile's.
  const denon = JSON.parse(readFileSync(join(PKG, 'profiles', 'denon-avr.json'), 'utf8')) as {
    $schema?: string;
    capabilities: { id: string; options?: unknown }[];
  };
  delete denon.$schema;
  delete denon.capabilities.find((c) => c.id === 'input')!.options;
  writeFileSync(join(dir, 'etc', 'avr.json'), JSON.stringify(denon));
  const rules = run(['--check', '-c', missing]);
  expect(await rules.exit).toBe(1);
  expect(rules.err()).toContain(`${join(dir, 'etc', 'avr.json')}: invalid profile, 1 problem:\n  capabilities[3].options: is required for an enum`);

  const shipped = run(['--check', '-c', configure('home', ['port: /dev/ttyUSB0', 'profile: denon-avr'])]);
  expect(await shipped.exit).toBe(0);
  expect(shipped.out()).toContain('serial2mqtt 0.1.0: configuration and map are valid');
});

it('--check refuses a port that is no device address, with the file and line, before anything starts', async () => {
  const conf = configure('home', ['profile: denon-avr', 'port: tcp://127.0.0.1:abc']);
  const check = run(['--check', '-c', conf]);
  expect(await check.exit).toBe(1);
  expect(check.err()).toContain(`${conf}:3: [INTERFACE] port = "tcp://127.0.0.1:abc": the port "abc" is not a number: expected tcp://host:port, host:port`);
  expect(check.err()).not.toMatch(/\n\s+at /);
  // host:port is a TCP address, not a serial port that does not exist.
  const short = run(['--check', '-c', configure('home', ['profile: denon-avr', 'port: 127.0.0.1:47259'], 'short')]);
  expect(await short.exit).toBe(0);
  expect(short.out()).toContain('[INTERFACE] port = "tcp://127.0.0.1:47259"');
});

it('--check finds the shipped serial2mqtt.conf and map from an empty directory', async () => {
  const r = run(['--check']);
  expect(await r.exit).toBe(0);
  expect(r.out()).toContain(`configuration file: ${join(PKG, 'serial2mqtt.conf')}`);
  expect(r.out()).toContain(`map file: ${join(PKG, 'serial2mqtt.map.json')}`);
  expect(r.out()).toContain('[INTERFACE] profile = "denon-avr"');
  // The launcher ships both conventions; the shipped configuration leaves them off.
  expect(r.out()).toContain('conventions: [HOMEASSISTANT], [HOMIE]');
  expect(r.out()).toContain('[HOMEASSISTANT] discovery = false');
  expect(r.out()).toContain('[HOMIE] enabled = false');
});
