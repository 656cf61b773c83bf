import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway } from '@mg/core';
import { memoryLogging } from '@mg/core/testing';
import {
  connectClient,
  homieSchemaErrors,
  type LoggedProcess,
  SHARED_BROKER_URL,
  spawnNode,
  startTcpProxy,
  type TcpProxy,
  retainedUnder as retainedHere,
  sweepRetained,
  type TestClient,
  uniqueRoot,
  waitFor,
} from '@mg/test-helpers';
import { homie, homieExtension } from './extension.js';
import { startController, until, type Controller } from './test-support/controller.js';
import { Lamps, lamp } from './test-support/lamps.js';

// Everything here runs against the shared broker, each test under its own Homie domain (the
// `prefix` option, node-homie's `topicRoot`), so runs never see each other.
const shared = new URL(SHARED_BROKER_URL);

let gateway: Gateway | undefined;
let controller: Controller | undefined;
let watcher: TestClient | undefined;
let proxy: TcpProxy | undefined;
let dir: string | undefined;
let child: LoggedProcess | undefined;
afterEach(async () => {
  child?.child.kill('SIGKILL');
  await controller?.stop();
  await gateway?.stop();
  await watcher?.end();
  await proxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  gateway = controller = watcher = proxy = dir = child = undefined;
});

interface Run {
  prefix: string;
  clientid: string;
  logs: readonly string[];
}

type MqttOptions = Record<string, string | number | boolean>;

async function startLamps(options: { port?: number; mqtt?: MqttOptions | ((prefix: string) => MqttOptions); count?: number } = {}): Promise<Run> {
  const prefix = uniqueRoot('homie');
  const mqtt = typeof options.mqtt === 'function' ? options.mqtt(prefix) : options.mqtt;
  const clientid = `lamps-${prefix}`;
  const logging = memoryLogging('lamps');
  gateway = createGateway(Lamps, {
    appName: 'lamps',
    logging,
    config: {
      MQTT: { host: shared.hostname, port: options.port ?? Number(shared.port || 1883), clientid, root: prefix, topics: `${prefix}-map/#`, ...mqtt },
      INTERFACE: { count: String(options.count ?? 2) },
      HOMIE: { enabled: true, prefix },
    },
    extensions: [homie],
  });
  // Connected before a controller looks: node-homie delays devices it learns of live (not retained) by 3 s.
  const connected = new Promise((resolve) => gateway!.once('connected', resolve));
  await gateway.start();
  await connected;
  return { prefix, clientid, logs: logging.records };
}

/** The root id the gateway takes from its client id. */
const rootOf = (run: Run) => run.clientid.toLowerCase();

describe('Homie 5 against the real broker, driven by node-homie@5', () => {
  it("node-homie's controller discovers every device, valid, and ready", async () => {
    const run = await startLamps({ count: 3 });
    const root = rootOf(run);
    watcher = await connectClient(SHARED_BROKER_URL);
    await watcher.subscribe(`${run.prefix}/5/+/$description`, 1);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const gw = await controller.device(root);
    await until(gw.attributes$, (a) => a.state === 'ready' && (a.children?.length ?? 0) === 3, 'the root ready with 3 children');
    expect(gw.attributes.children).toEqual([`${root}-hall`, `${root}-porch`, `${root}-attic`]);
    for (const id of gw.attributes.children!) {
      const child = await controller.device(id);
      await until(child.state$, (s) => s === 'ready', `${id} ready`);
      expect(child.attributes.root).toBe(root);
      // The description node-homie built the device from passes node-homie's schema.
      expect(homieSchemaErrors(child.getDescription())).toEqual([]);
    }
    // The documents as the broker holds them, each through node-homie's schema.
    for (const id of [root, ...gw.attributes.children!]) {
      const m = await watcher.waitFor((x) => x.topic === `${run.prefix}/5/${id}/$description`, `the description of ${id}`);
      expect({ id, errors: homieSchemaErrors(JSON.parse(m.payload)) }).toEqual({ id, errors: [] });
    }
    const level = await controller.property(`${root}-hall/capabilities/level`);
    expect(level.attributes).toMatchObject({ datatype: 'integer', format: '0:100:1', unit: '%', settable: true, retained: true });
    const beep = await controller.property(`${root}-hall/capabilities/beep`);
    expect(beep.attributes).toMatchObject({ datatype: 'enum', format: 'press', settable: true, retained: false });
  });

  it('a property set by the controller reaches the interface as a command, and the new value comes back', async () => {
    const run = await startLamps();
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const power = await controller.property(`${root}-porch/capabilities/power`);
    const mode = await controller.property(`${root}-hall/capabilities/mode`);
    const beep = await controller.property(`${root}-hall/capabilities/beep`);
    power.setCommand$('true').subscribe();
    mode.setCommand$('boost').subscribe();
    beep.setCommand$('press').subscribe();
    await until(power.value$, (v) => v === 'true', 'porch power true');
    await until(mode.value$, (v) => v === 'boost', 'hall mode boost');
    // The beep has no value to come back: wait for the interface to have taken it.
    await waitFor(() => Lamps.commands.length === 3, 'three commands at the interface');
    expect([...Lamps.commands].sort()).toEqual(['hall/lamp BEEP {} from homie', 'hall/lamp MODE {"mode":"boost"} from homie', 'porch/lamp ON {} from homie']);
    power.setCommand$('false').subscribe();
    await until(power.value$, (v) => v === 'false', 'porch power false');
  });

  it('with mapping on and a subscription over the Homie domain, Homie topics never reach the map', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mg-homie-int-'));
    const map = join(dir, 'lamps.map.json');
    const run = await startLamps({
      mqtt: (prefix) => {
        // The map's root is not the Homie domain: a Homie message that reached the map would be refused (topic-root).
        writeFileSync(map, JSON.stringify({ root: 'home', topics: [`${prefix}/#`] }));
        return { mapping: true, mapfilename: map };
      },
    });
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const level = await controller.property(`${root}-hall/capabilities/level`);
    level.setCommand$('57').subscribe();
    await until(level.value$, (v) => v === '57', 'hall level 57');
    expect(Lamps.commands).toEqual(['hall/lamp DIM {"level":57} from homie']);
    const rejected = gateway!.counters.rejected as Record<string, number>;
    expect(gateway!.counters.interfaceErrors).toBe(0);
    expect(Object.values(rejected).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('when the gateway is cut off, its root is lost (so is every child, for node-homie) and its availability offline; both come back', async () => {
    const port = Number(shared.port || 1883);
    proxy = await startTcpProxy(port, shared.hostname);
    const run = await startLamps({ port: proxy.port, mqtt: { keepalive: 1 } });
    const root = rootOf(run);
    const availability = `${run.prefix}/${run.clientid}/availability`;
    watcher = await connectClient(SHARED_BROKER_URL);
    await watcher.subscribe(availability, 1);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const hall = await controller.device(`${root}-hall`);
    await until(hall.state$, (s) => s === 'ready', 'hall ready');
    await watcher.waitFor((m) => m.topic === availability && m.payload === 'online', 'online');

    await proxy.cut(); // both connections drop at once, as when the process or its host dies
    await until(hall.state$, (s) => s === 'lost', 'hall lost through its root', 20_000);
    // The root's own state is a separate stream, updated after the hall's: wait for it too.
    await until(controller.devices.getDevice(root)!.state$, (s) => s === 'lost', 'root lost', 20_000);
    expect(hall.deviceState).toBe('ready'); // its own $state is untouched: the root's will covers it
    await watcher.waitFor((m) => m.topic === availability && m.payload === 'offline', 'the availability will', 20_000);

    await proxy.restore();
    await until(hall.state$, (s) => s === 'ready', 'hall ready again', 20_000);
    await until(controller.devices.getDevice(root)!.state$, (s) => s === 'ready', 'root ready again', 20_000);
  }, 60_000);

  it('devices declared again reach the controller: a higher version, a new child discovered, a removed one gone', async () => {
    const run = await startLamps();
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const gw = await controller.device(root);
    const hall = await controller.device(`${root}-hall`);
    await until(gw.attributes$, (a) => a.state === 'ready' && a.children?.length === 2, 'the root with 2 children');
    await until(hall.attributes$, (a) => a.version > 0, 'the hall described');
    const before = { root: gw.version, hall: hall.version };
    Lamps.last!.ctx.devices.set([{ ...lamp('hall', 'hall', 'Hall light') }, lamp('attic', 'attic')]);
    await until(gw.attributes$, (a) => a.children?.join() === `${root}-hall,${root}-attic`, 'the new children');
    expect(gw.version).toBeGreaterThan(before.root);
    await until(hall.attributes$, (a) => a.name === 'Hall light', 'the hall renamed');
    expect(hall.version).toBeGreaterThan(before.hall);
    const attic = await controller.device(`${root}-attic`);
    await until(attic.state$, (s) => s === 'ready', 'the attic ready');
    // node-homie waits 3 s before it believes a removal.
    await until(controller.devices.devices$, (d) => !(`${root}-porch` in d), 'the porch removed', 10_000);
  }, 20_000);

  it('a device the interface cannot reach is disconnected for the controller, then ready again; its root and siblings stay ready', async () => {
    const run = await startLamps();
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const hall = await controller.device(`${root}-hall`);
    const porch = await controller.device(`${root}-porch`);
    await until(hall.state$, (s) => s === 'ready', 'hall ready');
    await until(porch.state$, (s) => s === 'ready', 'porch ready');
    Lamps.last!.ctx.devices.setAvailable('hall', false, 'cable pulled');
    await until(hall.state$, (s) => s === 'disconnected', 'hall disconnected');
    Lamps.last!.ctx.devices.setAvailable('hall', true);
    await until(hall.state$, (s) => s === 'ready', 'hall ready again');
    // The root and the porch were never told otherwise: the broker holds them ready.
    const states = await retainedHere(`${run.prefix}/5/+/$state`);
    expect(Object.fromEntries(states.map((m) => [m.topic.split('/')[2], m.payload]))).toEqual({
      [root]: 'ready',
      [`${root}-hall`]: 'ready',
      [`${root}-porch`]: 'ready',
    });
  });

  it('a clean stop leaves every device disconnected', async () => {
    const run = await startLamps();
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const porch = await controller.device(`${root}-porch`);
    await until(porch.state$, (s) => s === 'ready', 'porch ready');
    await gateway!.stop();
    gateway = undefined;
    await until(porch.state$, (s) => s === 'disconnected', 'porch disconnected');
    await until(controller.devices.getDevice(root)!.state$, (s) => s === 'disconnected', 'root disconnected');
  });
});

describe('devices a previous run declared', () => {
  it('a device declared by a first run and not by the second is gone once the second has started; another root keeps its own', async () => {
    const prefix = uniqueRoot('homie');
    const clientid = `lamps-${prefix}`;
    const root = clientid.toLowerCase();
    const run = async (count: number) => {
      const logging = memoryLogging('lamps');
      gateway = createGateway(Lamps, {
        appName: 'lamps',
        logging,
        config: {
          MQTT: { host: shared.hostname, port: Number(shared.port || 1883), clientid, root: prefix, topics: `${prefix}-map/#` },
          INTERFACE: { count: String(count) },
          HOMIE: { enabled: true, prefix },
        },
        extensions: [homieExtension({ settleMs: 300 })],
      });
      const connected = new Promise((resolve) => gateway!.once('connected', resolve));
      await gateway.start();
      await connected;
      return logging.records;
    };
    const retainedUnder = async (filter: string) => (await retainedHere(filter)).filter((m) => m.payload !== '').map((m) => m.topic);
    const attic = `${prefix}/5/${root}-attic`;
    const other = `${prefix}/5/othergw-attic/$description`;
    try {
      await run(3);
      watcher = await connectClient(SHARED_BROKER_URL);
      await watcher.subscribe(`${attic}/#`, 1);
      await watcher.waitFor((m) => m.topic === `${attic}/$state` && m.payload === 'ready', 'the attic ready');
      Lamps.last!.report('attic', 'POWER', { state: 'on' });
      await watcher.waitFor((m) => m.topic === `${attic}/capabilities/power`, 'the attic power value');
      await gateway!.stop();
      gateway = undefined;
      // A device of another gateway under the same domain.
      await watcher.publish(other, JSON.stringify({ homie: '5.0', version: 1, name: 'attic', root: 'othergw' }), { retain: true, qos: 1 });
      expect(await retainedUnder(`${attic}/#`)).toEqual(expect.arrayContaining([`${attic}/$state`, `${attic}/$description`, `${attic}/capabilities/power`]));

      // Every topic of the attic the broker held, each to be cleared before the broker is read.
      const held = new Set(watcher.messages.filter((m) => m.payload !== '').map((m) => m.topic));
      await run(2);
      const clearedNow = () => new Set(watcher!.messages.filter((m) => m.payload === '' && !m.retain).map((m) => m.topic));
      await waitFor(() => [...held].every((t) => clearedNow().has(t)), 'every topic of the attic cleared');
      const cleared = watcher.messages.filter((m) => m.payload === '' && !m.retain).map((m) => m.topic.slice(attic.length + 1));
      expect(cleared[0]).toBe('$state'); // $state first
      expect(await retainedUnder(`${attic}/#`)).toEqual([]);
      expect(await retainedUnder(other)).toEqual([other]);
      expect(await retainedUnder(`${prefix}/5/${root}-hall/$state`)).toEqual([`${prefix}/5/${root}-hall/$state`]);
    } finally {
      await gateway?.stop();
      gateway = undefined;
      await sweepRetained([`${prefix}/#`]);
    }
  }, 20_000);
});

describe('a gateway process that dies', () => {
  // The program as users run it (startGateway, a configuration file), from the built packages:
  // `pnpm test` builds them first.
  const program = (conf: string) => `
    const { startGateway } = require(${JSON.stringify(require.resolve('@mg/core'))});
    const { homie } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.js'))});
    const capability = { id: 'power', name: 'Power', kind: 'binary', command: { actions: { on: 'ON', off: 'OFF' } }, state: { action: 'POWER', argument: 'state' } };
    class Lamp {
      static describe() { return [{ id: 'lamp', name: 'Lamp', capabilities: [capability] }]; }
      constructor(ctx) { this.ctx = ctx; }
      loop() { for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) {} }
    }
    startGateway(Lamp, { appName: 'lamp', argv: ['-c', ${JSON.stringify(conf)}], extensions: [homie] });
  `;

  it('leaves its root lost by the will of its Homie connection, and its availability offline by its own', async () => {
    if (!existsSync(join(__dirname, '..', 'dist', 'index.js'))) throw new Error('@mg/homie is not built: run "pnpm --filter @mg/homie build" (pnpm test does)');
    dir = mkdtempSync(join(tmpdir(), 'mg-homie-kill-'));
    const prefix = uniqueRoot('homie');
    const clientid = `lamp-${prefix}`;
    const conf = join(dir, 'lamp.conf');
    const lines = [
      '[MQTT]',
      `host: ${shared.hostname}`,
      `port: ${shared.port || 1883}`,
      `clientid: ${clientid}`,
      `root: ${prefix}`,
      '',
      '[HOMIE]',
      'enabled: on',
      `prefix: ${prefix}`,
    ];
    writeFileSync(conf, `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'lamp.js'), program(conf));
    const availability = `${prefix}/${clientid}/availability`;
    watcher = await connectClient(SHARED_BROKER_URL);
    await watcher.subscribe([availability, `${prefix}/5/+/$state`], 1);
    child = spawnNode(join(dir, 'lamp.js'));
    await watcher.waitFor((m) => m.topic === `${prefix}/5/${clientid}/$state` && m.payload === 'ready', 'the root ready');
    controller = await startController(SHARED_BROKER_URL, prefix);
    const lamp = await controller.device(`${clientid}-lamp`);
    await until(lamp.state$, (s) => s === 'ready', 'the lamp ready');

    child.child.kill('SIGKILL');
    await child.exit;
    await until(lamp.state$, (s) => s === 'lost', 'the lamp lost through its root');
    await watcher.waitFor((m) => m.topic === `${prefix}/5/${clientid}/$state` && m.payload === 'lost' && !m.retain, 'lost, live');
    await watcher.waitFor((m) => m.topic === availability && m.payload === 'offline', 'the availability will');
    expect(child.output()).not.toContain('ERROR');
  }, 30_000);
});
