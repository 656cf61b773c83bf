import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayInterface, InterfaceContext, InternalMessage } from '@mg/core';
import { createTestGateway, type TestGateway } from '@mg/core/testing';
import { homeAssistant, homeAssistantExtension } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';
import { receiver } from './test-support/devices.js';

const CONFIG_AVR = 'homeassistant/device/testgw/avr/config';
const CONFIG_THERMO = 'homeassistant/device/testgw/thermo-1/config';
const BASE = 'test/testgw/ha';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

interface Start {
  ha?: Record<string, string>;
  mqtt?: Record<string, string | boolean>;
  devices?: string;
  /** Retained messages the broker holds for the node's config filter, delivered right after connecting. */
  retained?: [string, string][];
}

async function start(o: Start = {}): Promise<{ g: TestGateway; commands: InternalMessage[] }> {
  const g = createTestGateway(AvInterface, {
    options: o.devices === undefined ? {} : { devices: o.devices },
    mqtt: o.mqtt,
    config: { HOMEASSISTANT: { discovery: 'on', ...o.ha } },
    extensions: [homeAssistantExtension({ settleMs: 30, random: () => 0, migrateMs: 60 })],
  });
  gw = g;
  const commands: InternalMessage[] = [];
  g.gateway.on('message-in', (m) => commands.push(m));
  await g.start();
  for (const [topic, payload] of o.retained ?? []) await g.receive(topic, payload);
  await g.waitFor((m) => m.topic === CONFIG_AVR || m.topic.startsWith('homeassistant/switch/'), { since: 'start' });
  return { g, commands };
}

const ha = (g: TestGateway) => g.published.filter((m) => m.topic.startsWith('homeassistant/') || m.topic.startsWith(`${BASE}/`));
const last = (g: TestGateway, topic: string) => [...g.published].reverse().find((m) => m.topic === topic);
const json = (g: TestGateway, topic: string) => JSON.parse(last(g, topic)!.payload) as Record<string, unknown>;
// A config this gateway instance published before: its topics are under its base and availability.
const AVAILABILITY = 'test/testgw/availability';
const ours = (device: string, availability = AVAILABILITY) =>
  JSON.stringify({ device: { identifiers: [`testgw_${device}`] }, origin: { name: '@mg/homeassistant' }, availability_topic: availability, components: {} });
/** The same, as this package publishes it with per-device availability: a list of both topics on each component. */
const oursListed = (device: string, availability = AVAILABILITY) =>
  JSON.stringify({
    device: { identifiers: [`testgw_${device}`] },
    origin: { name: '@mg/homeassistant' },
    components: {
      power: {
        platform: 'switch',
        unique_id: `testgw_${device}_power`,
        availability: [{ topic: availability }, { topic: `${availability.slice(0, -'/availability'.length)}/${device}/availability` }],
        availability_mode: 'all',
      },
    },
  });
/** Where the test interface takes its commands (AVAILABLE, REPORT, RESCAN). */
const COMMAND = 'test/AudioVideo//Living/avr/me/C';

describe('the Home Assistant extension in a gateway, in memory', () => {
  it('is off unless [HOMEASSISTANT] discovery is on', async () => {
    gw = createTestGateway(AvInterface, { extensions: [homeAssistant] });
    await gw.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.published.filter((m) => m.topic.startsWith('homeassistant/'))).toEqual([]);
  });

  it('with [MQTT] sharedgroup, shares its command topics (one replica acts on each write), not discovery or birth', async () => {
    const { g } = await start({ mqtt: { sharedgroup: 'replicas' } });
    const transport = (g.gateway as unknown as { transport: { subscriptions: string[] } }).transport;
    // The gateway's own (its poll topic) aside.
    const own = transport.subscriptions.filter((f) => f.startsWith('homeassistant/') || f.includes(`${BASE}/`));
    expect(own).toEqual(['homeassistant/+/testgw/+/config', 'homeassistant/status', `$share/replicas/${BASE}/+/+/set`]);
  });

  it("publishes one retained config per device after the settle window, bound to the gateway's and the device's availability", async () => {
    const { g } = await start();
    expect(ha(g).map((m) => [m.topic, m.retain])).toEqual([
      [CONFIG_AVR, true],
      [CONFIG_THERMO, true],
    ]);
    const power = (json(g, CONFIG_AVR).components as Record<string, Record<string, unknown>>).power!;
    expect(power).toMatchObject({
      platform: 'switch',
      unique_id: 'testgw_avr_power',
      availability: [{ topic: AVAILABILITY }, { topic: 'test/testgw/avr/availability' }],
      availability_mode: 'all',
      state_topic: `${BASE}/avr/power`,
    });
  });

  it("lists the device's availability beside the gateway's (both required), which follows the interface without a new config", async () => {
    const { g } = await start();
    for (const [config, device] of [
      [CONFIG_AVR, 'avr'],
      [CONFIG_THERMO, 'thermo-1'],
    ] as const)
      for (const c of Object.values(json(g, config).components as Record<string, Record<string, unknown>>)) {
        expect(c.availability).toEqual([
          { topic: AVAILABILITY, payload_available: 'online', payload_not_available: 'offline' },
          { topic: `test/testgw/${device}/availability`, payload_available: 'online', payload_not_available: 'offline' },
        ]);
        expect(c.availability_mode).toBe('all');
        expect(c.availability_topic).toBeUndefined();
      }
    const configs = ha(g).length;
    const avr = 'test/testgw/avr/availability';
    await g.receive(COMMAND, { action: 'AVAILABLE', device: 'avr', available: 'off' });
    const offline = await g.waitFor((m) => m.topic === avr && m.payload === 'offline', { since: 'start' });
    expect(offline.retain).toBe(true);
    expect(g.available('avr')).toBe(false);
    expect(g.available('thermo-1')).toBe(true);
    await g.receive(COMMAND, { action: 'AVAILABLE', device: 'avr', available: 'on' });
    await g.waitFor((m) => m.topic === avr && m.payload === 'online' && g.published.indexOf(m) > g.published.indexOf(offline), { since: 'start' });
    // The configs name the topic; what it says is the core's: nothing republished.
    expect(ha(g)).toHaveLength(configs);
  });

  it("keeps the gateway's availability alone when [MQTT] deviceavailabilitytopic is blank", async () => {
    const { g } = await start({ mqtt: { deviceavailabilitytopic: '' } });
    const power = (json(g, CONFIG_AVR).components as Record<string, Record<string, unknown>>).power!;
    expect(power).toMatchObject({ availability_topic: AVAILABILITY, payload_available: 'online', payload_not_available: 'offline' });
    expect(power.availability).toBeUndefined();
    expect(power.availability_mode).toBeUndefined();
  });

  it('turns each command topic into a command for the interface, and its confirmation into a retained state', async () => {
    const { g, commands } = await start();
    const roundTrip = async (capability: string, payload: string, state: string, expected: string) => {
      await g.receive(`${BASE}/avr/${capability}/set`, payload);
      const m = await g.waitFor((p) => p.topic === `${BASE}/avr/${state}` && p.payload === expected, { since: 'start' });
      expect(m.retain).toBe(true);
    };
    await roundTrip('power', 'ON', 'power', 'ON');
    await roundTrip('power', 'OFF', 'power', 'OFF');
    await roundTrip('volume', '-20.5', 'volume', '-20.5');
    await roundTrip('source', 'hdmi1', 'source', 'hdmi1');
    await roundTrip('display', 'Hello there', 'display', 'Hello there');
    await roundTrip('mute-toggle', 'PRESS', 'signal', 'ON');
    expect(commands.map((c) => [c.action, c.sender, c.function, c.location, c.device, { ...c.arguments }])).toEqual([
      ['POWER_ON', 'homeassistant', 'AudioVideo', 'Living', 'avr', {}],
      ['POWER_OFF', 'homeassistant', 'AudioVideo', 'Living', 'avr', {}],
      ['VOLUME_SET', 'homeassistant', 'AudioVideo', 'Living', 'avr', { level: -20.5 }],
      ['SOURCE_SET', 'homeassistant', 'AudioVideo', 'Living', 'avr', { source: 'hdmi1' }],
      ['DISPLAY_SET', 'homeassistant', 'AudioVideo', 'Living', 'avr', { text: 'Hello there' }],
      ['MUTE_TGL', 'homeassistant', 'AudioVideo', 'Living', 'avr', {}],
    ]);
  });

  it('refuses and counts, with its reason, a payload a capability cannot take; states coming back never reach the map', async () => {
    const { g, commands } = await start();
    const refused: string[] = [];
    g.gateway.on('refused', ({ reason, detail }) => refused.push(`${reason}: ${detail}`));
    await g.receive(`${BASE}/avr/volume/set`, '99');
    await g.receive(`${BASE}/avr/volume/set`, 'loud');
    await g.receive(`${BASE}/avr/power/set`, 'MAYBE');
    await g.receive(`${BASE}/avr/nothing/set`, 'ON');
    await g.receive(`${BASE}/avr/power`, 'ON');
    expect(commands).toEqual([]);
    expect(g.counters.rejected['invalid-value']).toBe(4);
    expect(refused).toEqual([
      `invalid-value: volume expects a number from -80 to 18, got 99 (message on "${BASE}/avr/volume/set")`,
      `invalid-value: volume expects a number, got "loud" (message on "${BASE}/avr/volume/set")`,
      `invalid-value: power expects on or off, got "MAYBE" (message on "${BASE}/avr/power/set")`,
      `invalid-value: no device capability avr/nothing (message on "${BASE}/avr/nothing/set")`,
    ]);
    // The state topic was taken by the route: nothing else was refused, nothing reached the map.
    expect(Object.values(g.counters.rejected).reduce((a, b) => a + b, 0)).toBe(4);
    expect(g.counters.delivered).toBe(0);
  });

  // The one test here that checks a log line's wording, on purpose: the warning is all an
  // operator gets of a value the device sent that Home Assistant could not show.
  it("does not publish a state that is not one of an enum's options, and says so once (log wording)", async () => {
    const { g } = await start();
    for (const source of ['vinyl', 'vinyl', 'cd']) await g.receive(COMMAND, { action: 'REPORT', status: 'SOURCE', source });
    await g.waitFor((m) => m.topic === `${BASE}/avr/source`, { since: 'start' });
    expect(
      ha(g)
        .filter((m) => m.topic === `${BASE}/avr/source`)
        .map((m) => m.payload),
    ).toEqual(['cd']);
    expect(g.logs.filter((l) => l.includes('avr/source: state "vinyl" is not one of cd, tuner, hdmi1: not published'))).toHaveLength(1);
  });

  it("answers Home Assistant's birth with every config and the current states", async () => {
    const { g } = await start();
    await g.receive(`${BASE}/avr/power/set`, 'ON');
    await g.waitFor((m) => m.topic === `${BASE}/avr/power`, { since: 'start' });
    const before = ha(g).length;
    await g.receive('homeassistant/status', 'offline');
    await g.receive('homeassistant/status', 'online');
    await g.waitFor((m) => m.topic === `${BASE}/avr/power` && ha(g).length > before + 2, { since: 'start' });
    expect(
      ha(g)
        .slice(before)
        .map((m) => `${m.topic} ${m.topic.endsWith('config') ? '<config>' : m.payload}`),
    ).toEqual([`${CONFIG_AVR} <config>`, `${CONFIG_THERMO} <config>`, `${BASE}/avr/power ON`]);
  });

  it("clears at start the retained configs of this node it no longer produces, and leaves others' and another instance's", async () => {
    const foreign = JSON.stringify({ origin: { name: 'Zigbee2MQTT' }, components: {} });
    const { g } = await start({
      retained: [
        ['homeassistant/device/testgw/gone/config', ours('gone')],
        ['homeassistant/device/testgw/foreign/config', foreign],
        // Another instance of the same application (same node id, its own client id): left alone.
        ['homeassistant/device/testgw/other-receiver/config', ours('other-receiver', 'test/testgw-2/availability')],
        // The same two, with their availability listed (gateway and device): recognised alike.
        ['homeassistant/device/testgw/gone-too/config', oursListed('gone-too')],
        ['homeassistant/device/testgw/other-amp/config', oursListed('other-amp', 'test/testgw-2/availability')],
      ],
    });
    expect(ha(g).map((m) => `${m.topic} ${m.payload === '' ? '(cleared)' : '<config>'}`)).toEqual([
      'homeassistant/device/testgw/gone/config (cleared)',
      'homeassistant/device/testgw/gone-too/config (cleared)',
      `${CONFIG_AVR} <config>`,
      `${CONFIG_THERMO} <config>`,
    ]);
    expect(last(g, 'homeassistant/device/testgw/gone/config')!.retain).toBe(true);
  });

  it('migrates the entities of a config in the other form (their settings kept), then clears its topic', async () => {
    const old = 'homeassistant/switch/testgw/avr_power/config';
    const { g } = await start({
      retained: [[old, JSON.stringify({ unique_id: 'testgw_avr_power', origin: { name: '@mg/homeassistant' }, availability_topic: AVAILABILITY })]],
    });
    await g.waitFor((m) => m.topic === old && m.payload === '', { since: 'start' });
    const lines = ha(g).map((m) => `${m.topic} ${m.payload === '' ? '(cleared)' : m.topic === old ? m.payload : '<config>'}`);
    expect(lines.slice(0, 3)).toEqual([`${old} {"migrate_discovery":true}`, `${CONFIG_AVR} <config>`, `${CONFIG_THERMO} <config>`]);
    expect(lines).toContain(`${old} (cleared)`);
  });

  it('follows the devices the interface declares at run time: the config of a removed device is cleared', async () => {
    const { g } = await start();
    await g.receive(COMMAND, { action: 'RESCAN', devices: 'avr' });
    const cleared = await g.waitFor((m) => m.topic === CONFIG_THERMO && m.payload === '', { since: 'start' });
    expect(cleared.retain).toBe(true);
  });

  it('takes the topic root of the map for its base topic, and works the same with mapping on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ha-map-'));
    try {
      const mapfile = join(dir, 'av.map.json');
      writeFileSync(
        mapfile,
        JSON.stringify({
          root: 'home/av',
          topics: ['home/av/+/+/+/+/+/C'],
          function: { maptype: 'loose', map: { AudioVideo: ['audiovideo'] } },
          gateway: { maptype: 'none' },
          location: { maptype: 'loose', map: { Living: ['living'] } },
          device: { maptype: 'none' },
          sender: { maptype: 'none' },
          action: { maptype: 'loose', map: { POWER_ON: ['power_on'] } },
          argkey: { maptype: 'none' },
          argvalue: { maptype: 'none' },
        }),
      );
      const { g, commands } = await start({ mqtt: { mapping: true, mapfilename: mapfile } });
      const power = (json(g, CONFIG_AVR).components as Record<string, Record<string, unknown>>).power!;
      expect(power.command_topic).toBe('home/av/testgw/ha/avr/power/set');
      expect(power.unique_id).toBe('testgw_avr_power');
      await g.receive('home/av/testgw/ha/avr/power/set', 'ON');
      await g.waitFor((m) => m.topic === 'home/av/testgw/ha/avr/power' && m.payload === 'ON', { since: 'start' });
      expect(commands.map((c) => c.action)).toEqual(['POWER_ON']);
      // The interface's status went through the map as well.
      expect(g.published.some((m) => m.topic === 'home/av/audiovideo//living/avr/testgw/S')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the interface declares no devices, and clears what it published before', async () => {
    gw = createTestGateway(AvInterface, {
      options: { devices: '' },
      config: { HOMEASSISTANT: { discovery: 'on' } },
      extensions: [homeAssistantExtension({ settleMs: 30 })],
    });
    await gw.start();
    await gw.receive(CONFIG_AVR, ours('avr'));
    await gw.waitFor((m) => m.topic === CONFIG_AVR && m.payload === '', { since: 'start' });
    expect(gw.logs.filter((l) => l.startsWith('WARN '))).toHaveLength(1); // said once, as a warning
  });

  describe('an interface that declares its devices after a scan (fake timers: the settle window passes at once)', () => {
    class Scanner implements GatewayInterface {
      static last: Scanner | undefined;
      constructor(readonly ctx: InterfaceContext) {
        Scanner.last = this;
      }
      loop(): void {}
    }
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    async function scanning(): Promise<TestGateway> {
      gw = createTestGateway(Scanner, {
        config: { HOMEASSISTANT: { discovery: 'on' } },
        extensions: [homeAssistantExtension({ settleMs: 30, random: () => 0 })],
      });
      await gw.start();
      await gw.receive(CONFIG_AVR, ours('avr'));
      await gw.receive(CONFIG_THERMO, ours('thermo-1'));
      return gw;
    }
    const discovery = (g: TestGateway) =>
      g.published.filter((m) => m.topic.startsWith('homeassistant/')).map((m) => `${m.topic} ${m.payload === '' ? '(cleared)' : '<config>'}`);

    it('is waited for: what the last run published stays until then, and only what the scan did not find is cleared', async () => {
      const g = await scanning();
      jest.advanceTimersByTime(1000); // the settle window is over; the scan is not
      expect(discovery(g)).toEqual([]);
      Scanner.last!.ctx.devices.set([receiver]); // the scan found the receiver only
      expect(discovery(g)).toEqual([`${CONFIG_THERMO} (cleared)`, `${CONFIG_AVR} <config>`]);
    });

    it("does not answer Home Assistant's birth before then: an empty device list would clear every config", async () => {
      const g = await scanning();
      await g.receive('homeassistant/status', 'online');
      jest.advanceTimersByTime(1000);
      expect(discovery(g)).toEqual([]);
      Scanner.last!.ctx.devices.set([receiver]);
      expect(discovery(g)).toEqual([`${CONFIG_THERMO} (cleared)`, `${CONFIG_AVR} <config>`]);
    });
  });

  it('publishes one config per entity in the entity form', async () => {
    const { g } = await start({ ha: { form: 'entity' } });
    await g.waitFor((m) => m.topic === 'homeassistant/sensor/testgw/thermo-1_temperature/config', { since: 'start' });
    expect(ha(g)).toHaveLength(11);
    expect(json(g, 'homeassistant/switch/testgw/avr_power/config')).toMatchObject({ unique_id: 'testgw_avr_power', device: { identifiers: ['testgw_avr'] } });
  });

  it('refuses a topic with a wildcard in its options, and in what they expand to, with a code', () => {
    const make =
      (config: Record<string, string>, mqtt: Record<string, string> = {}) =>
      () =>
        createTestGateway(AvInterface, { mqtt, config: { HOMEASSISTANT: { discovery: 'on', ...config } }, extensions: [homeAssistant] });
    expect(make({ basetopic: 'ha/+/x' })).toThrow(/\[HOMEASSISTANT\] basetopic = "ha\/\+\/x": expected topic levels without \+, # or empty levels/);
    expect(make({ prefix: 'home//assistant' })).toThrow(/\[HOMEASSISTANT\] prefix/);
    expect(make({ nodeid: 'a.b' })).toThrow(/\[HOMEASSISTANT\] nodeid = "a.b": expected letters, digits/);
    expect(make({}, { clientid: 'gw+1' })).toThrow(expect.objectContaining({ code: 'HOMEASSISTANT_TOPIC_INVALID' }));
  });
});
