/**
 * The `capabilities` of a profile: what the device can do, as @mg/core describes a device's
 * capabilities (`DeviceInput.capabilities`), so that conventions (Home Assistant discovery,
 * Homie) turn them into entities.
 *
 * This is the shape of core's `capabilitySchema` (same keys and types: a test compares its JSON
 * Schema with core's shipped `devices.schema.json`, descriptions aside, which speak of the
 * profile here), because core does not export the zod schema yet. Only the shape: the rules between keys (an enum needs options, a trigger is write-only,
 * a writable capability needs a command...) stay core's, applied to what `describe()` returns,
 * at start and by `--check`. Once core exports `capabilitySchema`, this file becomes an import.
 */
import { z } from 'zod';

const ID = /^[a-z0-9][a-z0-9-]*$/;

const action = z.string().min(1).describe('An internal action (the interface vocabulary).');

const commandBinding = z
  .union([
    z.strictObject({
      action,
      argument: z.string().min(1).optional().describe('The argument that carries the value; none for a trigger. The command must have no other argument.'),
    }),
    z.strictObject({
      actions: z.record(z.string(), action).describe('One action per value: {"on": "MUTE_ON", "off": "MUTE_OFF"} for a binary, an option name for an enum.'),
    }),
  ])
  .describe('How a write becomes an internal command: a command of the profile ({"action": "VOL_SET", "argument": "level"}), or one command per value.');

const stateBinding = z
  .union([
    z.strictObject({
      action,
      argument: z.string().min(1).describe('The argument that carries the value: on/off, true/false or 1/0 for a binary.'),
    }),
    z.strictObject({
      actions: z.record(action, z.string()).describe('The value each status action means: {"MUTE_ON": "on", "MUTE_OFF": "off"}.'),
    }),
  ])
  .describe('Which statuses of the profile carry the value: an action and its argument, or the value each status action means.');

/** One capability of the device a profile describes (the shape of core's `capabilitySchema`). */
export const profileCapabilitySchema = z.strictObject({
  id: z
    .string()
    .regex(ID, 'must be lowercase letters, digits and hyphens, not starting with a hyphen (a capability id is a topic level in every convention)')
    .max(64)
    .describe('The capability id: [a-z0-9-], stable across restarts and renames (conventions derive their unique ids from it).'),
  name: z.string().min(1).describe('Name relative to the device: "Volume", not "Receiver volume".'),
  kind: z
    .enum(['binary', 'number', 'enum', 'text', 'trigger'])
    .describe('binary (on/off: a switch), number, enum (one of options: a select), text, or trigger (a command without a value: a button).'),
  access: z.enum(['read', 'write', 'readwrite']).default('readwrite').describe('read: reported only; write: commanded only; readwrite: both.'),
  unit: z.string().min(1).optional().describe('Unit of a number ("dB", "°C", "%").'),
  min: z.number().optional().describe("Smallest value of a number; within what its command's argument accepts."),
  max: z.number().optional().describe("Largest value of a number; within what its command's argument accepts."),
  step: z.number().positive().optional().describe('Increment of a number (0.5 for half steps).'),
  options: z.array(z.string().min(1)).min(1).optional().describe('The values of an enum.'),
  command: commandBinding.optional().describe('Required when the capability can be written.'),
  state: stateBinding.optional().describe('Required when the capability can be read.'),
});

export type ProfileCapabilityInput = z.input<typeof profileCapabilitySchema>;
export type ProfileCapability = z.output<typeof profileCapabilitySchema>;
