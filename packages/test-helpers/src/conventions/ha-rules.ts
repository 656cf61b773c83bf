import abbreviations from './ha-data/abbreviations.json';
import facts from './ha-data/required-keys.json';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ENTITY_KEYS = new Set(Object.values(abbreviations.ABBREVIATIONS));
const DEVICE_KEYS = new Set(Object.values(abbreviations.DEVICE_ABBREVIATIONS));
const ORIGIN_KEYS = new Set(Object.values(abbreviations.ORIGIN_ABBREVIATIONS));
const TOPIC_ID = new RegExp(facts.topicIdPattern);
const ENTITY_ID = new RegExp(facts.entityIdPattern);
const platforms = facts.platforms as Record<string, { required: string[] }>;

/** The availability keys of one entity: one topic or a list of them (never both), and a known mode. */
function availabilityProblems(where: string, config: Json): string[] {
  const rules = facts.availability;
  const problems: string[] = [];
  if (rules.exclusive.every((k) => config[k] !== undefined)) problems.push(`${where}: ${rules.exclusive.join(' and ')} together`);
  const list = config.availability;
  if (list !== undefined) {
    if (!Array.isArray(list) || list.length === 0) problems.push(`${where}: availability is not a list of topics`);
    else
      for (const item of list as unknown[]) {
        if (!isObject(item)) {
          problems.push(`${where}: an availability entry is not an object`);
          continue;
        }
        for (const key of Object.keys(item)) if (!rules.listKeys.includes(key)) problems.push(`${where}: unknown availability key "${key}"`);
        for (const key of rules.listRequired) if (typeof item[key] !== 'string') problems.push(`${where}: an availability entry has no "${key}"`);
      }
  }
  const mode = config.availability_mode;
  if (mode !== undefined && !rules.modes.includes(mode as string))
    problems.push(`${where}: availability_mode ${JSON.stringify(mode)} is not one of ${rules.modes.join(', ')}`);
  return problems;
}

/**
 * What Home Assistant would object to in a discovery message, by its own data (the pinned
 * abbreviation table and the documented required keys): an empty list when it would take it.
 * Empty payloads (removals) and migration markers are accepted as they are.
 */
export function discoveryProblems(topic: string, payload: string, prefix = 'homeassistant'): string[] {
  if (payload === '') return [];
  const problems: string[] = [];
  const levels = topic.split('/');
  const [component, ...ids] = levels.slice(prefix.split('/').length, -1);
  if (!topic.startsWith(`${prefix}/`) || levels.at(-1) !== 'config' || ids.length < 1 || ids.length > 2) return [`${topic}: not a discovery topic`];
  for (const id of ids) if (!TOPIC_ID.test(id)) problems.push(`${topic}: "${id}" has characters Home Assistant refuses`);
  const parsed = JSON.parse(payload) as unknown;
  if (!isObject(parsed)) return [`${topic}: not a JSON object`];
  if (Object.keys(parsed).join() === 'migrate_discovery') return problems;
  const checkEntity = (where: string, platform: string, config: Json, deviceForm: boolean) => {
    for (const key of Object.keys(config)) if (!ENTITY_KEYS.has(key)) problems.push(`${where}: unknown key "${key}"`);
    const rules = platforms[platform];
    if (!rules) return problems.push(`${where}: platform "${platform}" is not one this package uses`);
    for (const key of rules.required) if (config[key] === undefined) problems.push(`${where}: ${platform} requires "${key}"`);
    if (deviceForm !== 'platform' in config) problems.push(`${where}: "platform" belongs in device messages only, and there always`);
    if (typeof config.unique_id !== 'string' || config.unique_id === '') problems.push(`${where}: no unique_id`);
    if (config.default_entity_id !== undefined && (typeof config.default_entity_id !== 'string' || !ENTITY_ID.test(config.default_entity_id)))
      problems.push(`${where}: bad default_entity_id`);
    problems.push(...availabilityProblems(where, config));
  };
  const device = parsed.device;
  if (!isObject(device)) problems.push(`${topic}: no device block`);
  else {
    for (const key of Object.keys(device)) if (!DEVICE_KEYS.has(key)) problems.push(`${topic}: unknown device key "${key}"`);
    if (!facts.deviceDiscovery.deviceRequiresOneOf.some((k) => Array.isArray(device[k]) && (device[k] as unknown[]).length > 0))
      problems.push(`${topic}: the device has neither identifiers nor connections`);
  }
  const origin = parsed.origin;
  if (!isObject(origin) || typeof origin.name !== 'string') problems.push(`${topic}: no origin name`);
  else for (const key of Object.keys(origin)) if (!ORIGIN_KEYS.has(key)) problems.push(`${topic}: unknown origin key "${key}"`);
  if (component === 'device') {
    const components = parsed.components;
    if (!isObject(components) || Object.keys(components).length === 0) return [...problems, `${topic}: no components`];
    for (const [id, c] of Object.entries(components)) {
      if (!TOPIC_ID.test(id)) problems.push(`${topic}: component "${id}" has characters Home Assistant refuses`);
      if (!isObject(c) || typeof c.platform !== 'string') problems.push(`${topic}: component "${id}" has no platform`);
      // A component reduced to its platform is a removal: nothing else is required of it.
      else if (Object.keys(c).length > 1) checkEntity(`${topic} ${id}`, c.platform, c, true);
    }
    for (const key of Object.keys(parsed))
      if (!['device', 'origin', 'components'].includes(key) && !ENTITY_KEYS.has(key)) problems.push(`${topic}: unknown key "${key}"`);
  } else {
    const { device: _d, origin: _o, ...entity } = parsed;
    checkEntity(topic, component!, entity, false);
  }
  return problems;
}

/** Home Assistant's own data, as pinned here: its MQTT abbreviation table and the documented required keys. */
export const homeAssistantData = { abbreviations, facts } as const;
