import type { Device, DeviceInput } from '@mg/core';
import { parseDevices } from '@mg/core/devices';
import type { DiscoverySettings } from '../discovery.js';
import { originBlock } from '../origin.js';
import { DiscoveryTopics, EntityTopics } from '../topics.js';

/**
 * Settings as a gateway named dummy2mqtt would have them, its base topic and node id changeable;
 * `deviceAvailability` adds each device's own availability topic (off by default: one topic).
 */
export function settings(
  o: { form?: 'device' | 'entity'; base?: string; node?: string; availability?: boolean; deviceAvailability?: boolean } = {},
): DiscoverySettings {
  const node = o.node ?? 'dummy2mqtt';
  return {
    form: o.form ?? 'device',
    node,
    discovery: new DiscoveryTopics('homeassistant', node),
    entities: new EntityTopics(o.base ?? 'home/dummy2mqtt/ha'),
    availability: o.availability === false ? undefined : { topic: 'home/dummy2mqtt/availability', online: 'online', offline: 'offline' },
    deviceAvailability: (device) =>
      o.deviceAvailability ? { topic: `home/dummy2mqtt/${device}/availability`, online: 'online', offline: 'offline' } : undefined,
    origin: originBlock(),
  };
}

/** Devices as the core validates them (defaults filled in): an invalid sample fails here, as it would at start. */
export function parsed(...inputs: DeviceInput[]): Device[] {
  return parseDevices(inputs, 'test sample');
}
