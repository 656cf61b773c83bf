import { capabilitySchema, publishPolicySchema } from '@mg/core/devices';
import { z } from 'zod';
import { checkPoint } from './point-checks.js';
import { checkProfile } from './profile-checks.js';

/** Internal actions are UPPER_CASE, like the rest of @mg's internal vocabulary (VOLTAGE, SETPOINT_SET). */
const ACTION_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Point ids double as capability ids: a topic level in every convention. */
const POINT_ID = /^[a-z0-9][a-z0-9-]*$/;
const ARGUMENT_NAME = /^[a-z][A-Za-z0-9_]*$/;
/** Keys of the JSON payload itself: an argument with one of these names would collide. */
const RESERVED_ARGUMENTS: readonly string[] = ['action', 'correlation'];

const actionName = z.string().regex(ACTION_NAME, 'must be UPPER_CASE: capital letters, digits and "_", starting with a letter (VOLTAGE_L1)');
const description = z.string().optional().describe('Free text for people reading the profile.');
const order = (what: string) =>
  z
    .enum(['big', 'little'])
    .optional()
    .describe(
      what === 'byte'
        ? 'Order of the two bytes in each register: "big" (most significant first, the Modbus norm) or "little". With wordOrder: big/big is ABCD, big/little CDAB, little/big BADC, little/little DCBA.'
        : 'Order of the registers of a value of 2 or 4 registers (32- and 64-bit types): "big" (most significant register first, ABCD) or "little" (CDAB, often called "word swap").',
    );
const pollSeconds = z.number().min(0.1).max(86_400);
const groupName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and hyphens (energy, setpoints)');

const VALUE_TYPES = ['bool', 'bit', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'string'] as const;
const TABLES = ['holding', 'input', 'coil', 'discrete'] as const;

const write = z
  .union(
    [
      z.literal(true),
      z.strictObject({
        action: actionName.optional().describe('The internal action that writes it. Default: the point\'s action with "_SET" (SETPOINT_SET).'),
        fc: z
          .union([z.literal(5), z.literal(6), z.literal(15), z.literal(16)], { error: 'must be 5 or 15 (a coil), 6 or 16 (registers)' })
          .optional()
          .describe(
            'The Modbus function that writes it: 5 (one coil) or 15 (several coils) for a coil; 6 (one register) or 16 (several registers) for a holding register. Default: 5 for a coil, 6 for a one-register type, 16 for the others (the only one that can write them); give 16 or 15 for a device that knows only those.',
          ),
        min: z.number().optional().describe('Smallest value accepted, in the published unit (after scale and offset).'),
        max: z.number().optional().describe('Largest value accepted, in the published unit.'),
        step: z
          .number()
          .positive()
          .optional()
          .describe('Accepted values are min (or 0) plus a whole number of steps: with min 5 and step 0.5, 21.5 is accepted and 21.3 refused.'),
        description,
      }),
    ],
    { error: 'must be true or an object ({ "min": 5, "max": 30, "step": 0.5 })' },
  )
  .optional()
  .describe(
    'Makes the point writable (holding registers and coils only): true, or the range and step a value must keep. A value out of range, off the step, or not a name of the enumeration is refused before anything is sent.',
  );

const point = z
  .strictObject({
    id: z
      .string()
      .regex(POINT_ID, 'must be lowercase letters, digits and hyphens, not starting with a hyphen (voltage-l1)')
      .max(64)
      .describe('Unique in the profile ("voltage-l1"); also the id of the capability derived from it.'),
    name: z.string().min(1, 'is empty').optional().describe('What people call it ("Voltage L1"); default: the id, words capitalised.'),
    description,
    table: z
      .enum(TABLES)
      .optional()
      .describe(
        'holding (registers, read and written), input (registers, read-only), coil (bits, read and written) or discrete (discrete inputs: bits, read-only). Optional when the address is a register number ("30001" is an input register).',
      ),
    address: z
      .union([z.int(), z.string()], { error: 'must be a number (0-based) or a string ("30001", "0x0048")' })
      .describe(
        'Where it starts. A number is the 0-based protocol address (what goes on the wire); a string is hexadecimal ("0x0048", 0-based too) or the register number of the device\'s manual, 5 or 6 digits whose first gives the table: "40001" (or "400001") is holding register 0, "30073" input register 72, "00001" coil 0, "10001" discrete input 0.',
      ),
    type: z
      .enum(VALUE_TYPES)
      .optional()
      .describe(
        'How the registers read: bool (a coil or discrete input; on a register, 0 is false and anything else true), bit (one bit of a register, see bit), int16/uint16 (1 register), int32/uint32/float32 (2), int64/uint64/float64 (4), string (length registers, 2 characters each, latin1). Default: bool for coils and discrete inputs, uint16 for registers. 64-bit integers are published as JSON numbers up to 2^53 - 1 and as decimal strings beyond ("18446744073709551615"), where a number would lose digits.',
      ),
    length: z.int().optional().describe('For a string: the registers it spans (1 to 125), 2 characters each.'),
    bit: z.int().optional().describe('For type bit: which bit of the register, 0 (least significant) to 15.'),
    byteOrder: order('byte'),
    wordOrder: order('word'),
    scale: z
      .number()
      .optional()
      .describe(
        'Multiplies the raw value: 0.1 reads 2305 as 230.5. Then offset is added. Written values go the other way (230.5 writes 2305); one that does not give a whole raw value for an integer type is refused.',
      ),
    offset: z.number().optional().describe('Added to the raw value after scale: published = raw × scale + offset.'),
    decimals: z
      .int()
      .min(0)
      .max(12)
      .optional()
      .describe(
        'Decimals kept in the published value (2 publishes 230.456 as 230.46). Without it, results are rounded to 12 significant digits (float32 to 7, its precision), so that 2305 × 0.1 is 230.5, not 230.50000000000003.',
      ),
    noValue: z
      .array(z.number())
      .optional()
      .describe(
        'Raw values that mean "no reading" ([32768] or [65535], as some devices report a sensor that is missing): published as null, like a float NaN.',
      ),
    unit: z.string().min(1, 'is empty').optional().describe('Unit of the published value ("V", "kWh", "°C").'),
    enum: z
      .record(z.string(), z.string().min(1, 'is empty'))
      .optional()
      .describe(
        'Raw value -> name ({"0": "off", "1": "heat", "2": "cool"}): the name is published instead of the number, and a write takes a name (or one of the raw values). A raw value not listed is published as its number.',
      ),
    action: actionName
      .optional()
      .describe('The action of the status that publishes its value. Default: the id in capitals, "-" as "_" (voltage-l1 -> VOLTAGE_L1).'),
    argument: z
      .string()
      .regex(ARGUMENT_NAME, 'must start with a lower-case letter, then letters, digits or "_" (value, level)')
      .refine((name) => !RESERVED_ARGUMENTS.includes(name), 'is reserved: "action" and "correlation" are keys of the MQTT payload itself')
      .optional()
      .describe('The argument of the status (and of its write command) that carries the value. Default "value".'),
    write,
    group: groupName
      .optional()
      .describe('The group it belongs to (a key of groups): its poll interval, publish policy and orders unless the point gives its own.'),
    pollSeconds: pollSeconds.optional().describe("Seconds between two reads of it. Default: its group's, else the profile's."),
    publish: publishPolicySchema
      .optional()
      .describe(
        "When its status is published (over its group's and the profile's keys; a capability's own keys win): changeOnly, deadband, deadbandPercent, minInterval, refresh, retain.",
      ),
  })
  .superRefine(checkPoint)
  .describe('One value of the device: where it is, how it reads, and whether it can be written.');

const group = z
  .strictObject({
    description,
    pollSeconds: pollSeconds.optional().describe("Seconds between two reads of its points. Default: the profile's pollSeconds."),
    byteOrder: order('byte'),
    wordOrder: order('word'),
    publish: publishPolicySchema.optional().describe("The publish policy of its points' statuses (a point's own keys win)."),
  })
  .describe('Settings shared by the points that name the group: read energy counters every minute and voltages every 5 s.');

/** The profile format: the one schema the loader validates with and the JSON Schema comes from. */
export const profileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this file, for editors.'),
    name: z.string().min(1, 'is empty').describe('Short name of the profile ("eastron-sdm630").'),
    description: z.string().describe('What devices the profile is for, and anything a user should know (wiring, settings, firmware).'),
    maker: z.string().min(1, 'is empty').optional().describe('Who makes the devices (declared to Home Assistant and Homie).'),
    model: z.string().min(1, 'is empty').optional().describe('The model (declared to Home Assistant and Homie).'),
    pollSeconds: pollSeconds.default(10).describe('Seconds between two reads of a point that names no interval (nor its group).'),
    byteOrder: order('byte').default('big'),
    wordOrder: order('word').default('big'),
    publish: publishPolicySchema.optional().describe("The publish policy of every point's status (a group's or point's own keys win)."),
    groups: z.record(groupName, group).default({}).describe('Named groups of points (a point joins with "group": "<name>").'),
    points: z.array(point).min(1, 'lists no point').describe('The values of the device, each a status the gateway publishes.'),
    // @mg/core's own capability schema, rules between keys included: a profile is refused at
    // load, with its JSON path, for what the gateway would refuse at start. What it names in
    // the profile is checked below, since only the profile knows its actions.
    capabilities: z
      .array(capabilitySchema)
      .optional()
      .describe(
        'What the device can do, for Home Assistant discovery and Homie: each capability reads its state from the status of a point and writes with a command of a point. Without it, each point gives one: a number (or binary, enum, text) with its unit, read-only, or readwrite when it is writable.',
      ),
  })
  .superRefine(checkProfile, { when: () => true })
  .describe('An @mg/interface-modbus register profile: where the values of a Modbus device are, how they read, and which can be written.');

/** A profile as written in its JSON file. */
export type ProfileInput = z.input<typeof profileSchema>;
/** A validated profile, defaults filled in. */
export type Profile = z.output<typeof profileSchema>;
export type PointDefinition = Profile['points'][number];
