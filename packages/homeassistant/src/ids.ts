/**
 * The ids Home Assistant keeps across restarts. They are derived from the node id (the
 * application name by default), the device id and the capability id, and from nothing else:
 * Zigbee2MQTT once put its base topic into unique ids, and changing the topic duplicated every
 * entity (Koenkk/zigbee2mqtt#23294). Topic roots, client ids and names may change; these do not.
 */

/** Node and object ids in discovery topics, and keys of `components`: Home Assistant's character class. */
export const HA_TOPIC_ID = /^[a-zA-Z0-9_-]+$/;

/** The node id: the option when set, else the application name with what Home Assistant refuses replaced by `_`. */
export function nodeIdFor(appName: string, option: string): string {
  const given = option.trim();
  if (given !== '') return given;
  const cleaned = appName.replace(/[^a-zA-Z0-9_-]/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'mg' : cleaned;
}

/** `<node>_<device>`: device ids have no `_` ([a-z0-9-]), so the parts never run together. */
export function deviceIdentifier(node: string, device: string): string {
  return `${node}_${device}`;
}

/** `<node>_<device>_<capability>`: the entity's `unique_id`. */
export function uniqueId(node: string, device: string, capability: string): string {
  return `${node}_${device}_${capability}`;
}

/**
 * `default_entity_id` (which replaces the deprecated `object_id`): the entity id Home Assistant
 * gives the entity the first time, `<platform>.<node>_<device>_<capability>` in its alphabet.
 */
export function defaultEntityId(platform: string, node: string, device: string, capability: string): string {
  return `${platform}.${uniqueId(node, device, capability)
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')}`;
}
