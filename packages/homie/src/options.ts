import { bool, string } from '@mg/core/options';

const oneLevel = (v: string) => !/[/+#]/.test(v);

/** The `[HOMIE]` options. */
export const homieOptions = {
  enabled: bool(false, 'Publish the devices the interface declares as Homie 5 devices (topics homie/5/...).'),
  prefix: string('homie', 'The Homie domain: the first level of every Homie topic (homie/5/... by default); one level, no wildcards.', {
    required: 'give one topic level, e.g. "prefix: homie"',
  }).refine((v) => oneLevel(v), 'must be one topic level: no "/", "+", "#"'),
  deviceid: string(
    '',
    'Id of the gateway\'s root Homie device, whose children the devices are ("lamps" gives "lamps-hall", "lamps-porch"); empty for the MQTT client id, lowercased, other characters turned into hyphens. Keep it stable: controllers know devices by it.',
  ),
  name: string('', 'Name of the root device shown by controllers; empty for the application name.'),
};

export type HomieOptions = typeof homieOptions;
