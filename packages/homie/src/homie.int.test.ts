import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway } from '@mg/core';
import { memoryLogging } from '@mg/core/testing';
import { connectClient, SHARED_BROKER_URL, startTcpProxy, uniqueRoot, type TcpProxy, type TestClient } from '@mg/test-helpers';
import { homie } from './extension.js';
import { startController, until, type Controller } from './test-support/controller.js';
import { schemaErrors } from './test-support/homie-schema.js';
import { Lamps } from './test-support/lamps.js';

// Everything here runs against the shared broker, each test under its own Homie domain (the
// `prefix` option, node-homie's `topicRoot`), so runs never see each other.
const shared = new URL(SHARED_BROKER_URL);

let gateway: Gateway | undefined;
let controller: Controller | undefined;
let watcher: TestClient | undefined;
let proxy: TcpProxy | undefined;
let dir: string | undefined;
afterEach(async () => {
  await controller?.stop();
  await gateway?.stop();
  await watcher?.end();
  await proxy?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  gateway = controller = watcher = proxy = dir = undefined;
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
  await gateway.start();
  return { prefix, clientid, logs: logging.records };
}

/** The root id the gateway takes from its client id. */
const rootOf = (run: Run) => run.clientid.toLowerCase();

describe('Homie 5 against the real broker, driven by node-homie@5', () => {
  it("node-homie's controller discovers every device, valid, and ready", async () => {
    const run = await startLamps({ count: 3 });
    const root = rootOf(run);
    controller = await startController(SHARED_BROKER_URL, run.prefix);
    const gw = await controller.device(root);
    await until(gw.attributes$, (a) => a.state === 'ready' && (a.children?.length ?? 0) === 3, 'the root ready with 3 children');
    expect(gw.attributes.children).toEqual([`${root}-hall`, `${root}-porch`, `${root}-attic`]);
    for (const id of gw.attributes.children!) {
      const child = await controller.device(id);
      await until(child.state$, (s) => s === 'ready', `${id} ready`);
      expect(child.attributes.root).toBe(root);
      // The description node-homie built the device from passes node-homie's schema.
      expect(schemaErrors(child.getDescription())).toEqual([]);
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
    expect(run.logs.filter((l) => /^(WARN|ERROR)/.test(l))).toEqual([]);
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
    await until(hall.state$, (s) => s === 'lost', 'hall lost through its root');
    expect(controller.devices.getDevice(root)!.state).toBe('lost');
    expect(hall.deviceState).toBe('ready'); // its own $state is untouched: the root's will covers it
    await watcher.waitFor((m) => m.topic === availability && m.payload === 'offline', 'the availability will');

    await proxy.restore();
    await until(hall.state$, (s) => s === 'ready', 'hall ready again', 20_000);
    await until(controller.devices.getDevice(root)!.state$, (s) => s === 'ready', 'root ready again', 20_000);
  }, 40_000);

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
