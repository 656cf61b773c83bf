import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, spawnNode, sweepRetained, uniqueRoot, waitFor, type Received, type TestClient } from '@mg/test-helpers';
import { PoolSim } from './test-support/pool-sim.js';

// End to end, as a user runs them: the built pool2mqtt, and the built serial2mqtt with
// pool.profile.json, each a process of its own against the shared broker and the simulated
// controller. The package's files are copied with a topic root of the test's own.
const PKG = join(__dirname, '..');
const ROUTES = {
  pool2mqtt: { launcher: join(PKG, 'dist', 'launcher.js'), conf: 'pool2mqtt.conf' },
  'serial2mqtt with pool.profile.json': {
    launcher: join(require.resolve('@mg/interface-serial/package.json'), '..', 'dist', 'launcher.js'),
    conf: 'pool2mqtt-profile.conf',
  },
};

describe.each(Object.entries(ROUTES))('%s, against a broker and the controller', (_route, { launcher, conf }) => {
  let dir: string;
  let root: string;
  let sim: PoolSim;
  let client: TestClient;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mg-pool-'));
    root = uniqueRoot('pool');
    for (const file of [conf, 'pool.profile.json']) copyFileSync(join(PKG, file), join(dir, file));
    writeFileSync(
      join(dir, 'pool.map.json'),
      readFileSync(join(PKG, 'pool.map.json'), 'utf8')
        .replaceAll('"home', `"${root}`)
        .replace(/"\$schema": "[^"]*",/, ''),
    );
    sim = await PoolSim.start();
    client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${root}/#`);
  });
  afterEach(async () => {
    await client.end();
    await sim.close();
    await sweepRetained([`${root}/#`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the status, answers OK, busy and refused commands, and follows the controller through a restart', async () => {
    const { hostname, port } = new URL(SHARED_BROKER_URL);
    const env = {
      ...process.env,
      MG_INTERFACE_PORT: sim.address,
      MG_INTERFACE_RECONNECTMIN: '0.1',
      MG_INTERFACE_RECONNECTMAX: '1',
      MG_MQTT_HOST: hostname,
      MG_MQTT_PORT: port || '1883',
    };
    const run = spawnNode(launcher, ['-c', join(dir, conf)], { cwd: dir, env });
    const availability = `${root}/pool2mqtt/pool/availability`;
    const isStatus = (m: Received) => m.topic.startsWith(`${root}/pool//garden/controller/`) && m.topic.endsWith('/S');
    const json = (m: Received) => (m.payload.startsWith('{') ? (JSON.parse(m.payload) as Record<string, unknown>) : {});
    /** The first status from message `from` on with these fields. */
    const status = (fields: Record<string, unknown>, from = client.messages.length) =>
      client.waitFor(
        (m) => client.messages.indexOf(m) >= from && isStatus(m) && Object.entries(fields).every(([k, v]) => json(m)[k] === v),
        JSON.stringify(fields),
      );
    try {
      // Three statuses from the STATUS line read at connection.
      await Promise.all([
        status({ action: 'pump', value: 'off' }, 0),
        status({ action: 'temp', value: 27.5 }, 0),
        status({ action: 'setpoint', value: 28 }, 0),
      ]);
      await client.waitFor((m) => m.topic === availability && m.payload === 'online', 'the controller online');
      const command = `${root}/pool//garden/controller/me/C`;
      // Busy once, then carried out.
      sim.busy(1);
      let reply = status({ action: 'pump_on', response: 'OK' });
      await client.publish(command, 'pump_on');
      await reply;
      expect(sim.received.filter((l) => l === 'PUMP ON')).toHaveLength(2);
      // Refused, in the controller's words.
      const alarm = status({ action: 'alarm', value: 'LOW WATER' });
      sim.raiseAlarm('LOW WATER');
      await alarm;
      reply = status({ action: 'pump_on', response: 'ERROR' });
      await client.publish(command, 'pump_on');
      expect(json(await reply).reason).toMatch(/PUMP LOCKED BY ALARM LOW WATER/);
      // The controller restarts: offline, then online with its status read again.
      const offline = client.waitFor((m) => m.topic === availability && m.payload === 'offline', 'the controller offline');
      await sim.close();
      await offline;
      const from = client.messages.length;
      sim = await PoolSim.start(sim.port);
      sim.temp = 24.5;
      await status({ action: 'temp', value: 24.5 }, from);
      await client.waitFor((m) => client.messages.indexOf(m) >= from && m.topic === availability && m.payload === 'online', 'the controller online again');
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(run.err()).not.toMatch(/CRITICAL|\n\s+at /); // warnings of the outage, no crash
    } catch (err) {
      throw new Error(`${(err as Error).message}\ngateway output:\n${run.output()}`);
    } finally {
      run.child.kill('SIGKILL');
      await waitFor(() => run.child.exitCode !== null || run.child.signalCode !== null, 'the gateway to end');
    }
  }, 60_000);
});
