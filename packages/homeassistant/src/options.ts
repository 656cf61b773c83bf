import { bool, choice, number, string } from '@mg/core/options';
import { HA_TOPIC_ID } from './ids.js';

// Refined here, not only at start, so that --check refuses them with the file, line and option.
const topic = (def: string, description: string) =>
  string(def, description).refine((t) => t !== '' && !/[+#]/.test(t) && !t.split('/').includes(''), {
    message: 'expected topic levels without +, # or empty levels (e.g. "homeassistant")',
  });

/**
 * The `[HOMEASSISTANT]` section. Declared once: it types the extension's options, `--check`
 * validates it, and the configuration reference is generated from it.
 */
export const homeAssistantOptions = {
  discovery: bool(false, 'Publish Home Assistant MQTT discovery for the devices the interface declares, and take commands from Home Assistant.'),
  prefix: topic('homeassistant', 'Discovery prefix, as set in the MQTT integration of Home Assistant; its birth message is expected on <prefix>/status.'),
  form: choice(
    ['device', 'entity'],
    'device',
    'device: one config per device listing its entities (Home Assistant 2024.12 or later); entity: one config per entity, for older versions.',
  ),
  basetopic: topic(
    '{root}/{clientid}/ha',
    'Where entity states are published and commands taken ({root}, {app}, {clientid} are replaced). No unique id depends on it: changing it moves the topics, not the entities.',
  ),
  nodeid: string(
    '',
    'Node id of the discovery topics, and the start of every unique id; empty for the application name. Set it only to run two instances of one application with the same device ids: changing it replaces every entity.',
  ).refine((t) => t === '' || HA_TOPIC_ID.test(t), { message: 'expected letters, digits, "_" and "-" only (Home Assistant\'s node ids)' }),
  birthdelay: number(5, 'Longest random delay, in seconds, before configs and states are published again when Home Assistant says it is online.', {
    min: 0,
    max: 300,
  }),
};

export type HomeAssistantOptionShape = typeof homeAssistantOptions;
