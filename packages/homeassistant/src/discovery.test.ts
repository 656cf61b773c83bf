import { discoveryProblems, homeAssistantData } from '@mg/test-helpers';
import { buildDiscovery, UNBOUNDED, type DiscoveryConfig } from './discovery.js';
import { HA_TOPIC_ID } from './ids.js';
import { MIGRATE_PAYLOAD, planCleanup } from './stale.js';
import { receiver, thermometer } from './test-support/devices.js';
import { parsed, settings } from './test-support/settings.js';

type Json = Record<string, unknown>;
const { abbreviations, facts } = homeAssistantData;
const ENTITY_KEYS = new Set(Object.values(abbreviations.ABBREVIATIONS));
const DEVICE_KEYS = new Set(Object.values(abbreviations.DEVICE_ABBREVIATIONS));
const ORIGIN_KEYS = new Set(Object.values(abbreviations.ORIGIN_ABBREVIATIONS));
const platforms = facts.platforms as Record<string, { required: string[] }>;
const devices = parsed(receiver, thermometer);

/** Each entity config in a set of discovery messages, with its platform, whatever the form. */
function entities(configs: DiscoveryConfig[]): { platform: string; config: Json; message: DiscoveryConfig }[] {
  return configs.flatMap((message) => {
    const p = message.payload;
    if (p.components)
      return Object.entries(p.components as Record<string, Json>).map(([, config]) => ({ platform: config.platform as string, config, message }));
    const platform = message.topic.split('/')[1]!;
    return [{ platform, config: p, message }];
  });
}

describe.each(['device', 'entity'] as const)('the %s form', (form) => {
  const configs = buildDiscovery(devices, settings({ form }));

  it('emits only keys Home Assistant knows (its abbreviation table, full names)', () => {
    for (const { payload } of [...configs, ...buildDiscovery(devices, settings({ form, deviceAvailability: true }))]) {
      for (const [key, value] of Object.entries(payload)) {
        if (key === 'device') for (const k of Object.keys(value as Json)) expect(DEVICE_KEYS).toContain(k);
        else if (key === 'origin') for (const k of Object.keys(value as Json)) expect(ORIGIN_KEYS).toContain(k);
        else if (key === 'components')
          for (const [id, c] of Object.entries(value as Record<string, Json>)) {
            expect(id).toMatch(HA_TOPIC_ID);
            for (const k of Object.keys(c)) expect(ENTITY_KEYS).toContain(k);
            for (const a of (c.availability as Json[] | undefined) ?? []) for (const k of Object.keys(a)) expect(ENTITY_KEYS).toContain(k);
          }
        else if (key === 'availability') for (const a of value as Json[]) for (const k of Object.keys(a)) expect(ENTITY_KEYS).toContain(k);
        else expect(ENTITY_KEYS).toContain(key);
      }
    }
  });

  it("has the keys each platform requires, a unique_id on every entity, and Home Assistant's id characters", () => {
    const found = entities(configs);
    expect(found).toHaveLength(11);
    for (const { platform, config, message } of found) {
      for (const key of platforms[platform]!.required) expect([platform, key, config[key]]).toEqual([platform, key, expect.anything()]);
      expect(config.unique_id).toEqual(expect.stringMatching(/^dummy2mqtt_[a-z0-9-]+_[a-z0-9-]+$/));
      expect(config.default_entity_id).toEqual(expect.stringMatching(new RegExp(facts.entityIdPattern)));
      expect((config.default_entity_id as string).startsWith(`${platform}.`)).toBe(true);
      const [prefix, component, node, object, last] = message.topic.split('/');
      expect([prefix, last]).toEqual(['homeassistant', 'config']);
      for (const id of [component, node, object]) expect(id).toMatch(HA_TOPIC_ID);
      expect(component).toBe(form === 'device' ? 'device' : platform);
      // platform is only allowed in device messages
      expect('platform' in config).toBe(form === 'device');
    }
    expect(new Set(found.map((f) => f.config.unique_id)).size).toBe(found.length);
  });

  it('names the device by identifiers and the origin as @mg/homeassistant with its version and support url', () => {
    const { version } = require('../package.json') as { version: string };
    for (const { payload } of configs) {
      const device = payload.device as Json;
      expect(device.identifiers).toEqual([expect.stringMatching(/^dummy2mqtt_(avr|thermo-1)$/)]);
      expect(payload.origin).toEqual({ name: '@mg/homeassistant', sw_version: version, support_url: expect.stringMatching(/^https:\/\//) });
    }
    const avr = configs.find((c) => c.device === 'avr')!.payload.device;
    expect(avr).toEqual({
      identifiers: ['dummy2mqtt_avr'],
      name: 'Living room receiver',
      manufacturer: 'Denon',
      model: 'AVR-X1600H',
      suggested_area: 'Living room',
    });
  });

  it('binds every entity to the gateway availability, and none when it has none', () => {
    for (const { config } of entities(configs))
      expect(config).toMatchObject({ availability_topic: 'home/dummy2mqtt/availability', payload_available: 'online', payload_not_available: 'offline' });
    for (const { config } of entities(buildDiscovery(devices, settings({ form, availability: false })))) expect(config.availability_topic).toBeUndefined();
  });

  it("lists the device's own availability next to the gateway's, both required (availability_mode all), when it has one", () => {
    const both = entities(buildDiscovery(devices, settings({ form, deviceAvailability: true })));
    expect(both).toHaveLength(11);
    for (const { config, message } of both) {
      expect(config.availability).toEqual([
        { topic: 'home/dummy2mqtt/availability', payload_available: 'online', payload_not_available: 'offline' },
        { topic: `home/dummy2mqtt/${message.device}/availability`, payload_available: 'online', payload_not_available: 'offline' },
      ]);
      expect(config.availability_mode).toBe('all');
      // One form or the other: Home Assistant refuses both.
      for (const key of ['availability_topic', 'payload_available', 'payload_not_available']) expect(config[key]).toBeUndefined();
    }
    for (const c of buildDiscovery(devices, settings({ form, deviceAvailability: true })))
      expect(discoveryProblems(c.topic, JSON.stringify(c.payload))).toEqual([]);
    // The device's alone (the gateway's topic blank): the single-topic keys, as with the gateway's alone.
    for (const { config, message } of entities(buildDiscovery(devices, settings({ form, availability: false, deviceAvailability: true })))) {
      expect(config).toMatchObject({ availability_topic: `home/dummy2mqtt/${message.device}/availability`, payload_available: 'online' });
      expect(config.availability).toBeUndefined();
      expect(config.availability_mode).toBeUndefined();
    }
  });

  it('keeps topics, unique ids and identifiers when the base topic, the client id or the names change (Zigbee2MQTT #23294)', () => {
    const renamed = parsed({ ...receiver, name: 'Salon', capabilities: receiver.capabilities.map((c) => ({ ...c, name: `${c.name}!` })) }, thermometer);
    const other = buildDiscovery(renamed, settings({ form, base: 'elsewhere/other-client/ha' }));
    const ids = (list: DiscoveryConfig[]) =>
      entities(list).map((e) => [e.message.topic, e.config.unique_id, e.config.default_entity_id, (e.message.payload.device as Json).identifiers]);
    expect(ids(other)).toEqual(ids(configs));
    expect(entities(other).map((e) => e.config.state_topic ?? e.config.command_topic)).not.toEqual(
      entities(configs).map((e) => e.config.state_topic ?? e.config.command_topic),
    );
  });
});

it('uses known keys in what it publishes to remove or migrate: a component reduced to its platform, the migration marker', () => {
  const before = new Map(buildDiscovery(devices, settings()).map((c) => [c.topic, JSON.stringify(c.payload)]));
  const withoutPower = parsed(thermometer, { ...receiver, capabilities: receiver.capabilities.slice(1) });
  const { stubs } = planCleanup(before, buildDiscovery(withoutPower, settings()));
  const power = (stubs[0]!.payload.components as Record<string, Json>).power!;
  expect(power).toEqual({ platform: 'switch' });
  for (const k of [...Object.keys(power), ...Object.keys(JSON.parse(MIGRATE_PAYLOAD) as Json)]) expect(ENTITY_KEYS).toContain(k);
});

describe('the mapping of capabilities to entities', () => {
  const byId = (form: 'device' | 'entity'): Record<string, Json> =>
    Object.fromEntries(
      entities(buildDiscovery(devices, settings({ form }))).map((e) => [
        (e.config.unique_id as string).split('_').pop(),
        { ...e.config, platform: e.platform },
      ]),
    );
  const e = byId('device');

  it('maps each kind and access to its platform', () => {
    const platformsOf = Object.fromEntries(Object.entries(e).map(([id, c]) => [id, c.platform]));
    expect(platformsOf).toEqual({
      power: 'switch',
      volume: 'number',
      source: 'select',
      display: 'text',
      'mute-toggle': 'button',
      signal: 'binary_sensor',
      bass: 'number',
      format: 'sensor',
      title: 'sensor',
      zone2: 'switch',
      temperature: 'sensor',
    });
  });

  it('gives each platform its payloads, range, options and unit', () => {
    expect(e.power).toMatchObject({
      state_topic: 'home/dummy2mqtt/ha/avr/power',
      command_topic: 'home/dummy2mqtt/ha/avr/power/set',
      payload_on: 'ON',
      payload_off: 'OFF',
    });
    expect(e.volume).toMatchObject({ min: -80, max: 18, step: 0.5, unit_of_measurement: 'dB' });
    expect(e.volume!.mode).toBeUndefined();
    // Home Assistant's defaults (1 to 100) would refuse most values of a number without bounds.
    expect(e.bass).toMatchObject({ min: -UNBOUNDED, max: UNBOUNDED, mode: 'box' });
    expect(e.source).toMatchObject({ options: ['cd', 'tuner', 'hdmi1'] });
    expect(e['mute-toggle']).toMatchObject({ payload_press: 'PRESS', command_topic: 'home/dummy2mqtt/ha/avr/mute-toggle/set' });
    expect(e['mute-toggle']!.state_topic).toBeUndefined();
    expect(e.signal).toMatchObject({ state_topic: 'home/dummy2mqtt/ha/avr/signal' });
    expect(e.signal!.command_topic).toBeUndefined();
    expect(e.format).toMatchObject({ device_class: 'enum', options: ['stereo', 'dolby', 'dts'] });
    for (const k of facts.platforms.sensor.optionsExclude) expect(e.format![k]).toBeUndefined();
    expect(e.temperature).toMatchObject({ unit_of_measurement: '°C', state_class: 'measurement' });
    expect(e.zone2!.state_topic).toBeUndefined();
  });

  it('makes one device config per device in the device form, one config per entity in the entity form', () => {
    const device = buildDiscovery(devices, settings());
    expect(device.map((c) => c.topic)).toEqual(['homeassistant/device/dummy2mqtt/avr/config', 'homeassistant/device/dummy2mqtt/thermo-1/config']);
    for (const c of device) for (const k of facts.deviceDiscovery.payloadRequired) expect(c.payload[k]).toBeDefined();
    const entity = buildDiscovery(devices, settings({ form: 'entity' }));
    expect(entity).toHaveLength(11);
    expect(entity[0]!.topic).toBe('homeassistant/switch/dummy2mqtt/avr_power/config');
  });

  it('uses the node id in topics and ids, so that two instances of one application can share a Home Assistant', () => {
    const other = entities(buildDiscovery(devices, settings({ node: 'dummy2mqtt-attic' })));
    expect(other[0]!.config.unique_id).toBe('dummy2mqtt-attic_avr_power');
    expect(other[0]!.config.default_entity_id).toBe('switch.dummy2mqtt_attic_avr_power');
    expect(other[0]!.message.topic).toBe('homeassistant/device/dummy2mqtt-attic/avr/config');
  });
});

describe("Home Assistant's rules, as the tests' stand-in applies them", () => {
  it('finds nothing to object to in either form, and objects to what it should', () => {
    for (const form of ['device', 'entity'] as const)
      for (const c of buildDiscovery(devices, settings({ form }))) expect(discoveryProblems(c.topic, JSON.stringify(c.payload))).toEqual([]);
    const [avr] = buildDiscovery(devices, settings());
    const broken = structuredClone(avr!.payload) as { components: Record<string, Json>; device: Json; origin?: Json };
    delete broken.components.power!.command_topic;
    delete broken.components.volume!.unique_id;
    broken.components.source!.object_id = 'x';
    broken.device = { name: 'no ids' };
    delete broken.origin;
    broken.components.volume!.availability = [{ topic: 'a/b', payload_on: 'x' }, { payload_available: 'up' }];
    broken.components.volume!.availability_mode = 'most';
    broken.components.display!.availability = [{ topic: 'a/b' }];
    expect(discoveryProblems('homeassistant/device/n/a.b/config', JSON.stringify(broken))).toEqual([
      'homeassistant/device/n/a.b/config: "a.b" has characters Home Assistant refuses',
      'homeassistant/device/n/a.b/config: the device has neither identifiers nor connections',
      'homeassistant/device/n/a.b/config: no origin name',
      'homeassistant/device/n/a.b/config power: switch requires "command_topic"',
      'homeassistant/device/n/a.b/config volume: no unique_id',
      'homeassistant/device/n/a.b/config volume: availability_topic and availability together',
      'homeassistant/device/n/a.b/config volume: unknown availability key "payload_on"',
      'homeassistant/device/n/a.b/config volume: an availability entry has no "topic"',
      'homeassistant/device/n/a.b/config volume: availability_mode "most" is not one of all, any, latest',
      'homeassistant/device/n/a.b/config source: unknown key "object_id"',
      'homeassistant/device/n/a.b/config display: availability_topic and availability together',
    ]);
  });
});
