import type { Capability, Device } from '@mg/core';
import type { Availability } from '@mg/core/extensions';
import { defaultEntityId, deviceIdentifier, uniqueId } from './ids.js';
import type { Origin } from './origin.js';
import { hasCommand, hasState, platformFor, type Platform } from './platforms.js';
import type { DiscoveryTopics, EntityTopics } from './topics.js';
import { PAYLOAD_OFF, PAYLOAD_ON, PAYLOAD_PRESS } from './values.js';

/**
 * A number without bounds still needs some in Home Assistant, whose defaults (1 to 100) would
 * refuse most values: wide ones, shown as an input box rather than a slider.
 */
export const UNBOUNDED = 1e9;
/** The smallest step Home Assistant accepts for a number. */
const MIN_STEP = 0.001;

/** What the configs are built from. */
export interface DiscoverySettings {
  form: 'device' | 'entity';
  node: string;
  discovery: DiscoveryTopics;
  entities: EntityTopics;
  /** The gateway's availability: every entity follows it. */
  availability: Availability | undefined;
  /** A device's own availability (`ctx.deviceAvailability`): its entities follow it as well, undefined when per-device availability is off. */
  deviceAvailability: (device: string) => Availability | undefined;
  origin: Origin;
}

/** One retained discovery message, and what it configures (to find what a later one no longer does). */
export interface DiscoveryConfig {
  topic: string;
  payload: Record<string, unknown>;
  device: string;
  /** The components it configures, by key (capability id), with their platform. */
  components: Record<string, Platform>;
  /** The state topics its entities read. */
  stateTopics: string[];
  /** The unique ids of its entities (to tell a config of the other form that holds them). */
  uniqueIds: string[];
}

/** The `device` block: identified by the node and device ids only, named for people. */
function deviceBlock(node: string, d: Device): Record<string, unknown> {
  const block: Record<string, unknown> = { identifiers: [deviceIdentifier(node, d.id)], name: d.name };
  if (d.manufacturer) block.manufacturer = d.manufacturer;
  if (d.model) block.model = d.model;
  if (d.location) block.suggested_area = d.location;
  return block;
}

function platformKeys(c: Capability, platform: Platform): Record<string, unknown> {
  switch (platform) {
    case 'switch':
    case 'binary_sensor':
      return { payload_on: PAYLOAD_ON, payload_off: PAYLOAD_OFF };
    case 'number': {
      const keys: Record<string, unknown> = { min: c.min ?? -UNBOUNDED, max: c.max ?? UNBOUNDED };
      if (c.step !== undefined) keys.step = Math.max(c.step, MIN_STEP);
      if (c.min === undefined || c.max === undefined) keys.mode = 'box';
      if (c.unit) keys.unit_of_measurement = c.unit;
      return keys;
    }
    case 'select':
      return { options: c.options };
    case 'sensor':
      // An enum sensor lists its options (and then may have neither unit nor state class); a
      // number is a measurement, so that Home Assistant keeps its history as numbers.
      if (c.kind === 'enum') return { device_class: 'enum', options: c.options };
      if (c.kind === 'number') return c.unit ? { unit_of_measurement: c.unit, state_class: 'measurement' } : { state_class: 'measurement' };
      return {};
    case 'text':
      return {};
    case 'button':
      return { payload_press: PAYLOAD_PRESS };
  }
}

/** The configuration of one entity (a component of the device form, or, with device and origin, an entity-form config). */
function componentConfig(d: Device, c: Capability, s: DiscoverySettings): { platform: Platform; config: Record<string, unknown> } {
  const platform = platformFor(c);
  const config: Record<string, unknown> = {
    name: c.name,
    unique_id: uniqueId(s.node, d.id, c.id),
    default_entity_id: defaultEntityId(platform, s.node, d.id, c.id),
  };
  if (hasState(c)) config.state_topic = s.entities.state(d.id, c.id);
  if (hasCommand(c)) config.command_topic = s.entities.command(d.id, c.id);
  Object.assign(config, platformKeys(c, platform));
  Object.assign(config, availabilityKeys(d, s));
  return { platform, config };
}

/**
 * An entity is available when the gateway is and, with per-device availability, when its device
 * is too: both topics listed, `availability_mode: all` (the default, `latest`, would let a device
 * that comes back hide a gateway that died). One topic alone keeps the single-topic keys.
 */
function availabilityKeys(d: Device, s: DiscoverySettings): Record<string, unknown> {
  const topics = [s.availability, s.deviceAvailability(d.id)].filter((a): a is Availability => a !== undefined);
  if (topics.length === 0) return {};
  if (topics.length === 1) {
    const [a] = topics as [Availability];
    return { availability_topic: a.topic, payload_available: a.online, payload_not_available: a.offline };
  }
  return {
    availability: topics.map((a) => ({ topic: a.topic, payload_available: a.online, payload_not_available: a.offline })),
    availability_mode: 'all',
  };
}

/** Every discovery message for a set of devices, in the configured form. */
export function buildDiscovery(devices: readonly Device[], s: DiscoverySettings): DiscoveryConfig[] {
  const out: DiscoveryConfig[] = [];
  for (const d of devices) {
    const device = deviceBlock(s.node, d);
    if (s.form === 'device') {
      const components: Record<string, Record<string, unknown>> = {};
      const platforms: Record<string, Platform> = {};
      const stateTopics: string[] = [];
      const uniqueIds: string[] = [];
      for (const c of d.capabilities) {
        const { platform, config } = componentConfig(d, c, s);
        components[c.id] = { platform, ...config };
        platforms[c.id] = platform;
        uniqueIds.push(config.unique_id as string);
        if (typeof config.state_topic === 'string') stateTopics.push(config.state_topic);
      }
      const payload = { device, origin: s.origin, components };
      out.push({ topic: s.discovery.device(d.id), payload, device: d.id, components: platforms, stateTopics, uniqueIds });
    } else {
      for (const c of d.capabilities) {
        const { platform, config } = componentConfig(d, c, s);
        out.push({
          topic: s.discovery.entity(platform, d.id, c.id),
          payload: { ...config, device, origin: s.origin },
          device: d.id,
          components: { [c.id]: platform },
          stateTopics: typeof config.state_topic === 'string' ? [config.state_topic] : [],
          uniqueIds: [config.unique_id as string],
        });
      }
    }
  }
  return out;
}
