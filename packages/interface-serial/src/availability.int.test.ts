import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, retainedUnder, SHARED_BROKER_URL, spawnNode, sweepRetained, uniqueRoot, type TestClient } from '@mg/test-helpers';
import { DenonSim } from './test-support/denon-sim.js';

// The "done when": the real serial2mqtt, built, against the shared broker, the shipped
// denon-avr profile and the simulated receiver on a socat pty. Unplugged, the receiver's own
// availability topic says offline at the first failure (not after attempts run out), and online
// once it is back; retained, so that a dashboard opened later sees it too.
jest.setTimeout(60_000);

const PKG = join(__dirname, '..');
const LAUNCHER = join(PKG, 'bin', 'serial2mqtt.js');
const { hostname, port } = new URL(SHARED_BROKER_URL);

let dir: string;
let sim: DenonSim | undefined;
let client: TestClient | undefined;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'serial2mqtt-avail-'));
  root = uniqueRoot('serial-avail');
});
afterEach(async () => {
  await client?.end();
  await sim?.close();
  await sweepRetained([`${root}/#`]);
  rmSync(dir, { recursive: true, force: true });
});

function configure(): string {
  writeFileSync(join(dir, 'avr.map.json'), readFileSync(join(PKG, 'serial2mqtt.map.json'), 'utf8').replace(/"home/g, `"${root}`));
  const conf = join(dir, 'avr.conf');
  writeFileSync(
    conf,
    [
      '[INTERFACE]',
      `port: ${sim!.ptyPath}`,
      'profile: denon-avr',
      'function: AudioVideo',
      'location: LivingRoom',
      'device: Receiver',
      // Long enough that "before the first new attempt" is unmistakable in the log.
      'reconnectmin: 1',
      'reconnectmax: 1',
      '[MQTT]',
      `host: ${hostname}`,
      `port: ${port || 1883}`,
      'mapping: on',
      'mapfilename: avr.map.json',
      '[LOG]',
      'consolelevel: DEBUG',
      '',
    ].join('\n'),
  );
  return conf;
}

it('publishes the receiver offline within one reconnection attempt when it is unplugged, online when it is back, retained', async () => {
  sim = await DenonSim.start({ tcp: false, pty: true, state: { power: 'ON', volume: 40, mute: false, source: 'CD' } });
  const gw = spawnNode(LAUNCHER, ['-c', configure()], { cwd: dir, env: { ...process.env, MG_DEBUG: '' } });
  const topic = `${root}/serial2mqtt/denon-avr/availability`;
  const payloads = () => client!.messages.filter((m) => m.topic === topic).map((m) => m.payload);
  const next = (payload: string, after: number) =>
    client!.waitFor((m) => m.topic === topic && m.payload === payload && client!.messages.indexOf(m) >= after, `availability ${payload}`, 20_000);
  try {
    client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${root}/#`);
    await next('online', 0);
    expect((await retainedUnder(topic)).map((m) => m.payload)).toEqual(['online']);
    // The answer to SI?, the last query at connection: the receiver is in use.
    await client.waitFor((m) => m.topic.endsWith('/receiver/serial2mqtt/S') && m.payload.includes('"input"'), 'the INPUT status');

    let from = client.messages.length;
    await sim.kill(); // socat killed: the pty disappears, as an unplugged USB adapter does
    await next('offline', from);
    // Offline at the failure itself: logged before any new attempt to reach the receiver failed.
    const log = gw.out();
    const marked = log.search(/device "denon-avr" is not available/);
    expect(marked).toBeGreaterThan(-1);
    const secondAttempt = log.search(/attempt 2 failed/);
    if (secondAttempt >= 0) expect(marked).toBeLessThan(secondAttempt);
    expect((await retainedUnder(topic)).map((m) => m.payload)).toEqual(['offline']);
    expect(gw.child.exitCode).toBeNull();

    from = client.messages.length;
    await sim.restart();
    await next('online', from);
    expect((await retainedUnder(topic)).map((m) => m.payload)).toEqual(['online']);
    expect(payloads()).toEqual(['online', 'offline', 'online']);

    // A clean stop leaves the receiver offline, before the gateway's own offline.
    gw.child.kill('SIGTERM');
    expect(await gw.exit).toBe(0);
    const gateway = `${root}/serial2mqtt/availability`;
    await client.waitFor((m) => m.topic === gateway && m.payload === 'offline', "the gateway's offline");
    const last = (t: string, p: string) => client!.messages.findLastIndex((m) => m.topic === t && m.payload === p);
    expect(last(topic, 'offline')).toBeLessThan(last(gateway, 'offline'));
    const retained = await retainedUnder([topic, gateway]);
    expect(Object.fromEntries(retained.map((m) => [m.topic, m.payload]))).toEqual({ [topic]: 'offline', [gateway]: 'offline' });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserial2mqtt output:\n${gw.output()}`);
  } finally {
    gw.child.kill('SIGKILL');
  }
});
