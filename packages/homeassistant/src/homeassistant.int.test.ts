// Over the real broker, with an MQTT client playing Home Assistant: birth, stale configs,
// a renamed root, a command round trip and availability. Each test has its own discovery
// prefix and topic root, and clears what it left retained.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, type Gateway, type InternalMessage } from '@mg/core';
import { memoryLogging } from '@mg/core/testing';
import {
  connectClient,
  discoveryProblems,
  SHARED_BROKER_URL,
  startTcpProxy,
  uniqueRoot,
  type Received,
  type TestClient,
  retainedUnder as retainedHere,
} from '@mg/test-helpers';
import { homeAssistantExtension } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';

const { hostname, port } = new URL(SHARED_BROKER_URL);
const APP = 'av2mqtt';

let prefix: string;
let root: string;
let ha: TestClient;
const gateways: Gateway[] = [];
/** The topic roots a test used: what it left retained under them and under its prefix is cleared after it. */
const roots = new Set<string>();

beforeEach(async () => {
  prefix = uniqueRoot('ha');
  root = uniqueRoot('mgha');
  ha = await connectClient(SHARED_BROKER_URL);
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
  const filters = [`${prefix}/#`, ...[...roots].map((r) => `${r}/#`)];
  roots.clear();
  for (const filter of filters) {
    const found = await retainedUnder(filter);
    for (const m of found) await ha.publish(m.topic, '', { retain: true, qos: 1 });
  }
  await ha.end();
});

function gateway(o: { root?: string; ha?: Record<string, string>; mqtt?: Record<string, string>; devices?: string } = {}): Gateway {
  const r = o.root ?? root;
  roots.add(r);
  const g = createGateway(AvInterface, {
    appName: APP,
    config: {
      ...(o.devices === undefined ? {} : { INTERFACE: { devices: o.devices } }),
      MQTT: { host: hostname, port: Number(port || 1883), root: r, topics: `${r}/+/+/+/+/+/C`, statsinterval: 0, ...o.mqtt },
      HOMEASSISTANT: { discovery: 'on', prefix, birthdelay: '0.2', ...o.ha },
    },
    extensions: [homeAssistantExtension({ settleMs: 400, migrateMs: 500 })],
    logging: memoryLogging(APP),
  });
  gateways.push(g);
  return g;
}

/** What the broker holds retained under `filter` (a fresh subscriber, until a marker comes back). */
const retainedUnder = (filter: string | string[]) => retainedHere(filter, SHARED_BROKER_URL);

/** What Home Assistant would object to (by its own rules, see @mg/test-helpers' conventions/ha-rules.ts) in the configs this client received, but for `injected` (a test's own). */
function problemsSeen(injected: string[] = []): string[] {
  const configs = ha.messages.filter((m) => m.topic.startsWith(`${prefix}/`) && m.topic.endsWith('/config') && !injected.includes(m.payload));
  expect(configs.length).toBeGreaterThan(0);
  return configs.flatMap((m) => discoveryProblems(m.topic, m.payload, prefix));
}

const config = (m: Received) => JSON.parse(m.payload) as { components: Record<string, Record<string, string>> };
const isConfig = (device: string) => (m: Received) => m.topic === `${prefix}/device/${APP}/${device}/config` && m.payload !== '';

describe('Home Assistant discovery over a real broker', () => {
  it('republishes configs and current states when Home Assistant says it is online', async () => {
    await ha.subscribe(`${prefix}/#`, 1);
    const g = gateway();
    await g.start();
    await ha.waitFor(isConfig('avr'), 'the receiver config');
    await ha.waitFor(isConfig('thermo-1'), 'the thermometer config');
    const base = `${root}/${APP}/ha`;
    await ha.subscribe(`${base}/#`, 1);
    await ha.publish(`${base}/avr/volume/set`, '-30');
    await ha.waitFor((m) => m.topic === `${base}/avr/volume` && m.payload === '-30', 'the volume state');

    ha.messages.length = 0;
    await ha.publish(`${prefix}/status`, 'online');
    await ha.waitFor(isConfig('avr'), 'the receiver config again');
    await ha.waitFor(isConfig('thermo-1'), 'the thermometer config again');
    await ha.waitFor((m) => m.topic === `${base}/avr/volume` && m.payload === '-30', 'the volume state again');
    expect(problemsSeen()).toEqual([]);
  });

  it('clears at start the configs of this node it no longer produces, and no one else’s', async () => {
    const gone = `${prefix}/device/${APP}/gone/config`;
    const oldEntity = `${prefix}/switch/${APP}/avr_power/config`;
    const foreign = `${prefix}/device/${APP}/foreign/config`;
    const other = `${prefix}/device/zigbee2mqtt/0x1234/config`;
    // Configs this instance published before: they point to its availability topic.
    const availability = `${root}/${APP}/availability`;
    const ours = JSON.stringify({
      device: { identifiers: [`${APP}_gone`] },
      origin: { name: '@mg/homeassistant' },
      availability_topic: availability,
      components: {},
    });
    await ha.publish(gone, ours, { retain: true, qos: 1 });
    const oldConfig = JSON.stringify({ unique_id: `${APP}_avr_power`, origin: { name: '@mg/homeassistant' }, availability_topic: availability });
    const foreignConfig = JSON.stringify({ origin: { name: 'someone else' }, components: {} });
    const otherConfig = JSON.stringify({ origin: { name: 'Zigbee2MQTT' } });
    await ha.publish(oldEntity, oldConfig, { retain: true, qos: 1 });
    await ha.publish(foreign, foreignConfig, { retain: true, qos: 1 });
    await ha.publish(other, otherConfig, { retain: true, qos: 1 });

    await ha.subscribe(`${prefix}/#`, 1);
    await gateway().start();
    await ha.waitFor((m) => m.topic === gone && m.payload === '', 'the stale device config cleared');
    // The entity-form config of an entity the device form now holds: migrated, then cleared.
    await ha.waitFor((m) => m.topic === oldEntity && m.payload === '{"migrate_discovery":true}', 'the entity-form config migrated');
    await ha.waitFor((m) => m.topic === oldEntity && m.payload === '', 'the entity-form config cleared');
    await ha.waitFor(isConfig('avr'), 'the current config');
    expect((await retainedUnder(`${prefix}/#`)).map((m) => m.topic).sort()).toEqual(
      [foreign, other, `${prefix}/device/${APP}/avr/config`, `${prefix}/device/${APP}/thermo-1/config`].sort(),
    );
    expect(problemsSeen([ours, oldConfig, foreignConfig, otherConfig])).toEqual([]);
  });

  it('leaves the configs of another gateway on the same prefix alone: each clears only under its own node id', async () => {
    await ha.subscribe(`${prefix}/#`, 1);
    await gateway().start();
    await ha.waitFor(isConfig('avr'), 'the first gateway config');
    // The same application again, elsewhere (another root and client id), with its own node id.
    const attic = uniqueRoot('mgha-attic');
    await gateway({ root: attic, ha: { nodeid: 'attic' }, mqtt: { clientid: 'av2mqtt-attic' } }).start();
    // One sync publishes its clears before its configs, and the thermometer's config last: once it
    // is here, any clearing the second gateway would do has come too.
    await ha.waitFor((m) => m.topic === `${prefix}/device/attic/avr/config` && m.payload !== '', 'the second gateway config');
    await ha.waitFor((m) => m.topic === `${prefix}/device/attic/thermo-1/config` && m.payload !== '', 'the second gateway last config');
    expect(ha.messages.filter((m) => m.payload === '').map((m) => m.topic)).toEqual([]);
    const held = (await retainedUnder(`${prefix}/#`)).map((m) => m.topic).sort();
    expect(held).toEqual(
      [
        `${prefix}/device/${APP}/avr/config`,
        `${prefix}/device/${APP}/thermo-1/config`,
        `${prefix}/device/attic/avr/config`,
        `${prefix}/device/attic/thermo-1/config`,
      ].sort(),
    );
    const ids = (await retainedUnder(`${prefix}/#`)).flatMap((m) => Object.values(config(m).components).map((c) => c.unique_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(problemsSeen()).toEqual([]);
  });

  it('leaves the configs of another instance of the same application alone (one node id, its own client id and devices)', async () => {
    await ha.subscribe(`${prefix}/#`, 1);
    await gateway({ devices: 'avr' }).start();
    await ha.waitFor(isConfig('avr'), 'the first instance config');
    // Two serial2mqtt, one per receiver: the second's cleanup sees the first's config retained.
    await gateway({ root: uniqueRoot('mgha-second'), devices: 'thermo-1', mqtt: { clientid: `${APP}-second` } }).start();
    // The second's sync (after its settle window) publishes its clears before its configs.
    await ha.waitFor(isConfig('thermo-1'), 'the second instance config');
    expect(ha.messages.filter((m) => m.payload === '').map((m) => m.topic)).toEqual([]);
    expect((await retainedUnder(`${prefix}/#`)).map((m) => m.topic).sort()).toEqual(
      [`${prefix}/device/${APP}/avr/config`, `${prefix}/device/${APP}/thermo-1/config`].sort(),
    );
  });

  it('leaves no duplicate when the topic root changes: same config topics and unique ids, old states cleared', async () => {
    const first = gateway();
    await first.start();
    await ha.subscribe(`${root}/#`, 1);
    await ha.subscribe(`${prefix}/#`, 1);
    await ha.waitFor(isConfig('avr'), 'the first config');
    await ha.publish(`${root}/${APP}/ha/avr/power/set`, 'ON');
    await ha.waitFor((m) => m.topic === `${root}/${APP}/ha/avr/power` && m.payload === 'ON', 'a state under the old root');
    await first.stop();
    const before = await retainedUnder(`${prefix}/#`);

    const renamed = uniqueRoot('mgha-renamed');
    await ha.subscribe(`${renamed}/#`, 1);
    ha.messages.length = 0;
    await gateway({ root: renamed }).start();
    await ha.waitFor((m) => m.topic === `${root}/${APP}/ha/avr/power` && m.payload === '', 'the old state cleared');
    const after = await retainedUnder(`${prefix}/#`);
    expect(after.map((m) => m.topic).sort()).toEqual(before.map((m) => m.topic).sort());
    const ids = (list: Received[]) => list.flatMap((m) => Object.values(config(m).components).map((c) => c.unique_id)).sort();
    expect(ids(after)).toEqual(ids(before));
    const power = config(after.find(isConfig('avr'))!).components.power!;
    expect(power.state_topic).toBe(`${renamed}/${APP}/ha/avr/power`);
    expect(await retainedUnder(`${root}/${APP}/ha/#`)).toEqual([]);
  });

  it('takes a command from a command topic to the interface, with mapping on too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-int-'));
    try {
      const mapfile = join(dir, 'av.map.json');
      const none = { maptype: 'none' };
      writeFileSync(
        mapfile,
        JSON.stringify({
          root,
          topics: [`${root}/+/+/+/+/+/C`],
          function: none,
          gateway: none,
          location: none,
          device: none,
          sender: none,
          action: none,
          argkey: none,
          argvalue: none,
        }),
      );
      const g = gateway({ mqtt: { mapping: 'on', mapfilename: mapfile } });
      const commands: InternalMessage[] = [];
      g.on('message-in', (m) => commands.push(m));
      await ha.subscribe(`${prefix}/#`, 1);
      await g.start();
      const avr = config(await ha.waitFor(isConfig('avr'), 'the receiver config')).components;
      await ha.subscribe(`${root}/#`, 1);
      await ha.publish(avr.source!.command_topic!, 'tuner');
      await ha.publish(avr['mute-toggle']!.command_topic!, 'PRESS');
      await ha.waitFor((m) => m.topic === avr.source!.state_topic && m.payload === 'tuner', 'the source state');
      await ha.waitFor((m) => m.topic === avr.signal!.state_topic && m.payload === 'ON', 'the button reached the interface');
      expect(commands.map((c) => `${c.action} ${JSON.stringify(c.arguments)} from ${c.sender}`)).toEqual([
        'SOURCE_SET {"source":"tuner"} from homeassistant',
        'MUTE_TGL {} from homeassistant',
      ]);
      // The interface's statuses went out through the map as usual.
      expect(ha.messages.some((m) => m.topic.startsWith(`${root}/AudioVideo/`) && m.topic.endsWith('/S'))).toBe(true);
      expect(problemsSeen()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("binds every entity's availability to the gateway's and its device's: online while it runs, both offline once it stops", async () => {
    await ha.subscribe(`${prefix}/#`, 1);
    const g = gateway();
    await g.start();
    const components = Object.values(config(await ha.waitFor(isConfig('avr'), 'the receiver config')).components);
    const topic = `${root}/${APP}/availability`;
    const device = `${root}/${APP}/avr/availability`;
    const listed = (c: Record<string, unknown>) => (c.availability as { topic: string }[]).map((a) => a.topic);
    expect(components.map((c) => listed(c as unknown as Record<string, unknown>))).toEqual(components.map(() => [topic, device]));
    expect((await retainedUnder(topic)).map((m) => m.payload)).toEqual(['online']);
    await g.stop();
    // Each device's topic goes offline with the gateway's: either one makes the entities unavailable.
    expect((await retainedUnder([topic, device])).map((m) => `${m.topic} ${m.payload}`).sort()).toEqual([`${device} offline`, `${topic} offline`].sort());
  });

  it("lists each device's availability beside the gateway's, and the device's topic follows the interface: offline, then online", async () => {
    await ha.subscribe(`${prefix}/#`, 1);
    const g = gateway();
    await g.start();
    const gatewayTopic = `${root}/${APP}/availability`;
    const deviceTopic = `${root}/${APP}/avr/availability`;
    const components = Object.values(config(await ha.waitFor(isConfig('avr'), 'the receiver config')).components);
    for (const c of components as unknown as Record<string, unknown>[]) {
      expect(c.availability).toEqual([
        { topic: gatewayTopic, payload_available: 'online', payload_not_available: 'offline' },
        { topic: deviceTopic, payload_available: 'online', payload_not_available: 'offline' },
      ]);
      expect(c.availability_mode).toBe('all');
    }
    expect(problemsSeen()).toEqual([]);
    await ha.subscribe([gatewayTopic, deviceTopic], 1);
    await ha.waitFor((m) => m.topic === gatewayTopic && m.payload === 'online', 'the gateway online');
    await ha.waitFor((m) => m.topic === deviceTopic && m.payload === 'online', 'the receiver online');
    ha.messages.length = 0;
    // The interface says the receiver cannot be reached (a command of the test interface), then that it can.
    const command = `${root}/AudioVideo//Living/avr/ha-test/C`;
    await ha.publish(command, JSON.stringify({ action: 'AVAILABLE', device: 'avr', available: 'off' }));
    await ha.waitFor((m) => m.topic === deviceTopic && m.payload === 'offline', 'the receiver offline');
    await ha.publish(command, JSON.stringify({ action: 'AVAILABLE', device: 'avr', available: 'on' }));
    await ha.waitFor((m) => m.topic === deviceTopic && m.payload === 'online', 'the receiver online again');
    // The gateway's own availability never moved, and no config was published again.
    expect(ha.messages.filter((m) => m.topic === gatewayTopic || m.topic.startsWith(`${prefix}/`))).toEqual([]);
  });

  it('turns the entities unavailable when the gateway is lost (its last will), and back with configs when it returns', async () => {
    const proxy = await startTcpProxy(Number(port || 1883), hostname);
    try {
      await ha.subscribe(`${prefix}/#`, 1);
      const topic = `${root}/${APP}/availability`;
      await ha.subscribe(topic, 1);
      await gateway({ mqtt: { port: String(proxy.port), keepalive: '2', reconnectmin: '0.2', reconnectmax: '1' } }).start();
      await ha.waitFor(isConfig('avr'), 'the receiver config');
      await ha.waitFor((m) => m.topic === topic && m.payload === 'online', 'online');
      ha.messages.length = 0;
      await proxy.cut();
      await ha.waitFor((m) => m.topic === topic && m.payload === 'offline', 'offline from the last will');
      await proxy.restore();
      await ha.waitFor((m) => m.topic === topic && m.payload === 'online', 'online again');
      await ha.waitFor(isConfig('avr'), 'the configs again after the reconnection');
    } finally {
      await Promise.all(gateways.splice(0).map((g) => g.stop()));
      await proxy.close();
    }
  });
});
