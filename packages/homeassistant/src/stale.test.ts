import { buildDiscovery } from './discovery.js';
import { MIGRATE_PAYLOAD, planCleanup, readRetainedConfig } from './stale.js';
import { receiver, thermometer } from './test-support/devices.js';
import { parsed, settings } from './test-support/settings.js';

const both = parsed(receiver, thermometer);
const retainedOf = (configs: { topic: string; payload: object }[]) => new Map(configs.map((c) => [c.topic, JSON.stringify(c.payload)]));

describe('recognising our retained configs', () => {
  it('reads ours, in full or abbreviated keys, and nothing else', () => {
    const [avr] = buildDiscovery(both, settings());
    const ours = readRetainedConfig(JSON.stringify(avr!.payload))!;
    expect(Object.keys(ours.components)).toHaveLength(10);
    expect(ours.components).toMatchObject({ power: 'switch', signal: 'binary_sensor', 'mute-toggle': 'button' });
    expect(ours.stateTopics).toContain('home/dummy2mqtt/ha/avr/power');
    expect(ours.uniqueIds).toContain('dummy2mqtt_avr_power');
    expect(readRetainedConfig(JSON.stringify({ o: { name: '@mg/homeassistant' }, cmps: { a: { p: 'sensor', stat_t: 'x/y', uniq_id: 'n_d_a' } } }))).toEqual({
      components: { a: 'sensor' },
      stateTopics: ['x/y'],
      topics: ['x/y'],
      uniqueIds: ['n_d_a'],
      migrating: false,
    });
    // A migration marker has no origin: under this node's topics it can only be ours.
    expect(readRetainedConfig(MIGRATE_PAYLOAD)).toMatchObject({ migrating: true });
    expect(readRetainedConfig('{"migrate_discovery":true,"other":1}')).toBeUndefined();
    expect(readRetainedConfig(JSON.stringify({ o: { name: 'Zigbee2MQTT' }, cmps: {} }))).toBeUndefined();
    expect(readRetainedConfig(JSON.stringify({ name: 'no origin', state_topic: 'a' }))).toBeUndefined();
    for (const junk of ['', 'not json', '[1]', 'null']) expect(readRetainedConfig(junk)).toBeUndefined();
  });

  it('reads the availability topics of either form: one topic, or the list of the gateway and the device (full or abbreviated keys)', () => {
    const gateway = 'home/dummy2mqtt/availability';
    for (const form of ['device', 'entity'] as const) {
      const [avr] = buildDiscovery(both, settings({ form, deviceAvailability: true }));
      const topics = readRetainedConfig(JSON.stringify(avr!.payload))!.topics;
      expect(topics).toEqual(expect.arrayContaining([gateway, 'home/dummy2mqtt/avr/availability']));
      const [single] = buildDiscovery(both, settings({ form }));
      expect(readRetainedConfig(JSON.stringify(single!.payload))!.topics).toContain(gateway);
    }
    const short = { o: { name: '@mg/homeassistant' }, uniq_id: 'n_d_a', avty: [{ t: 'gw/availability' }, { t: 'gw/d/availability' }], avty_mode: 'all' };
    expect(readRetainedConfig(JSON.stringify(short))!.topics).toEqual(['gw/availability', 'gw/d/availability']);
  });
});

describe('planning the cleanup', () => {
  it('clears the config of a device no longer produced, and nothing when all is current', () => {
    const before = retainedOf(buildDiscovery(both, settings()));
    const now = buildDiscovery(parsed(receiver), settings());
    expect(planCleanup(before, now)).toEqual({
      clear: ['homeassistant/device/dummy2mqtt/thermo-1/config'],
      migrate: [],
      stubs: [],
      clearStates: ['home/dummy2mqtt/ha/thermo-1/temperature'],
    });
    expect(planCleanup(retainedOf(now), now)).toEqual({ clear: [], migrate: [], stubs: [], clearStates: [] });
  });

  it('removes a component from a device config by publishing it reduced to its platform first', () => {
    const before = retainedOf(buildDiscovery(both, settings()));
    const fewer = parsed({ ...receiver, capabilities: receiver.capabilities.filter((c) => c.id !== 'signal' && c.id !== 'volume') }, thermometer);
    const plan = planCleanup(before, buildDiscovery(fewer, settings()));
    expect(plan.clear).toEqual([]);
    expect(plan.stubs).toHaveLength(1);
    const components = plan.stubs[0]!.payload.components as Record<string, object>;
    expect(components.signal).toEqual({ platform: 'binary_sensor' });
    expect(components.volume).toEqual({ platform: 'number' });
    expect(components.power).toMatchObject({ unique_id: 'dummy2mqtt_avr_power' });
    expect(plan.clearStates.sort()).toEqual(['home/dummy2mqtt/ha/avr/signal', 'home/dummy2mqtt/ha/avr/volume']);
  });

  it('migrates the configs of the other form when the form changes, as Home Assistant documents it, then clears the markers', () => {
    const entityForm = buildDiscovery(both, settings({ form: 'entity' }));
    const deviceForm = buildDiscovery(both, settings({ form: 'device' }));
    const plan = planCleanup(retainedOf(entityForm), deviceForm);
    expect(plan).toEqual({ clear: [], migrate: entityForm.map((c) => c.topic), stubs: [], clearStates: [] });
    // Back the other way too.
    expect(planCleanup(retainedOf(deviceForm), entityForm).migrate).toEqual(deviceForm.map((c) => c.topic));
    // Once the markers are there, the next pass clears them.
    const markers = new Map([...retainedOf(deviceForm), ...entityForm.map((c) => [c.topic, MIGRATE_PAYLOAD] as [string, string])]);
    expect(planCleanup(markers, deviceForm)).toEqual({ clear: entityForm.map((c) => c.topic), migrate: [], stubs: [], clearStates: [] });
  });

  it('clears rather than migrates a config of the other form whose entities are gone', () => {
    const before = retainedOf(buildDiscovery(parsed(thermometer), settings({ form: 'entity' })));
    const plan = planCleanup(before, buildDiscovery(parsed(receiver), settings({ form: 'device' })));
    expect(plan.clear).toEqual(['homeassistant/sensor/dummy2mqtt/thermo-1_temperature/config']);
    expect(plan.migrate).toEqual([]);
  });

  it('keeps the configs when the base topic changes (same topics, new content) and clears the old states', () => {
    const before = retainedOf(buildDiscovery(both, settings({ base: 'old/root/ha' })));
    const plan = planCleanup(before, buildDiscovery(both, settings({ base: 'new/root/ha' })));
    expect(plan.clear).toEqual([]);
    expect(plan.stubs).toEqual([]);
    expect(plan.clearStates).toContain('old/root/ha/avr/power');
    expect(plan.clearStates.every((t) => t.startsWith('old/root/ha/'))).toBe(true);
  });

  it("leaves other applications' configs alone", () => {
    const foreign = new Map([['homeassistant/device/dummy2mqtt/zz/config', JSON.stringify({ origin: { name: 'someone else' }, components: {} })]]);
    expect(planCleanup(foreign, buildDiscovery(both, settings())).clear).toEqual([]);
  });
});
