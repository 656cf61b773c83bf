import { z } from 'zod';
import { publishPolicySchema } from './publish-policy.js';

// Ids are used as topic levels by every convention: Homie allows [a-z0-9-] (not starting with
// a hyphen), Home Assistant [a-zA-Z0-9_-]. The intersection keeps one id valid for both.
const ID = /^[a-z0-9][a-z0-9-]*$/;
const id = (what: string) =>
  z
    .string()
    .regex(ID, `must be lowercase letters, digits and hyphens, not starting with a hyphen (a ${what} id is a topic level in every convention)`)
    .max(64)
    .describe(`The ${what} id: [a-z0-9-], stable across restarts and renames (conventions derive their unique ids from it).`);

/** What a capability holds: binary (on/off), number, enum (one of `options`), text, or trigger (a command without a value). */
const CAPABILITY_KINDS = ['binary', 'number', 'enum', 'text', 'trigger'] as const;
export type CapabilityKind = (typeof CAPABILITY_KINDS)[number];

const action = z.string().min(1).describe('An internal action (the interface vocabulary).');

const commandBindingSchema = z
  .union([
    z.strictObject({
      action,
      argument: z.string().min(1).optional().describe('The argument that carries the value; none for a trigger.'),
    }),
    z.strictObject({
      actions: z
        .record(z.string(), action)
        .refine((r) => Object.keys(r).length > 0, 'names at least one value')
        .describe('One action per value: {"on": "MUTE_ON", "off": "MUTE_OFF"} for a binary, an option name for an enum.'),
    }),
  ])
  .describe('How a write becomes an internal command for the interface.');

const stateBindingSchema = z
  .union([
    z.strictObject({
      action,
      argument: z.string().min(1).describe('The argument that carries the value: on/off, true/false or 1/0 for a binary.'),
    }),
    z.strictObject({
      actions: z
        .record(action, z.string())
        .refine((r) => Object.keys(r).length > 0, 'names at least one action')
        .describe('The value each status action means: {"MUTE_ON": "on", "MUTE_OFF": "off"}.'),
    }),
  ])
  .describe('Which statuses of the interface carry the value, and where.');

export const capabilitySchema = z
  .strictObject({
    id: id('capability'),
    name: z.string().min(1).describe('Name relative to the device: "Volume", not "Receiver volume".'),
    kind: z.enum(CAPABILITY_KINDS),
    access: z.enum(['read', 'write', 'readwrite']).default('readwrite').describe('read: reported only; write: commanded only; readwrite: both.'),
    unit: z.string().min(1).optional().describe('Unit of a number ("dB", "°C", "%").'),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
    options: z.array(z.string().min(1)).min(1).optional().describe('The values of an enum.'),
    command: commandBindingSchema.optional().describe('Required when the capability can be written.'),
    state: stateBindingSchema.optional().describe('Required when the capability can be read.'),
    publish: publishPolicySchema.optional(),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string | string[], message: string) => ctx.addIssue({ code: 'custom', path: Array.isArray(path) ? path : [path], message });
    if (c.kind === 'enum' && !c.options) issue('options', 'is required for an enum');
    if (c.kind !== 'enum' && c.options) issue('options', `is for enums only, not ${c.kind}`);
    if (c.kind !== 'number') for (const k of ['unit', 'min', 'max', 'step'] as const) if (c[k] !== undefined) issue(k, `is for numbers only, not ${c.kind}`);
    if (c.min !== undefined && c.max !== undefined && c.min >= c.max) issue('max', `must be greater than min (${c.min})`);
    if (c.kind === 'trigger' && c.access !== 'write') issue('access', 'must be "write" for a trigger (it has no state)');
    if (c.access !== 'read' && !c.command) issue('command', `is required: access "${c.access}" lets controllers write it`);
    if (c.access !== 'write' && !c.state) issue('state', `is required: access "${c.access}" lets controllers read it`);
    if (c.command && 'argument' in c.command && c.kind === 'trigger') issue('command', 'a trigger carries no value: give no argument');
    if (c.command && 'action' in c.command && !('argument' in c.command && c.command.argument) && c.kind !== 'trigger')
      issue('command', `a ${c.kind} needs "argument" to carry its value, or "actions" with one action per value`);
    if (c.publish && c.access === 'write') issue('publish', 'is for a capability that reports a state (access "read" or "readwrite")');
    else if (c.publish && c.kind !== 'number')
      for (const k of ['deadband', 'deadbandPercent'] as const) if (c.publish[k] !== undefined) issue(['publish', k], `is for numbers only, not ${c.kind}`);
    if (c.command && 'actions' in c.command) {
      const allowed = c.kind === 'binary' ? ['on', 'off'] : c.kind === 'enum' ? (c.options ?? []) : undefined;
      if (!allowed) issue('command', `"actions" is for binaries and enums, not ${c.kind}`);
      else
        for (const v of Object.keys(c.command.actions))
          if (!allowed.includes(v)) issue('command', `"${v}" is not a value of this ${c.kind} (${allowed.join(', ')})`);
    }
  });

export const deviceSchema = z
  .strictObject({
    id: id('device'),
    name: z.string().min(1).describe('What people call it: "Living room receiver".'),
    manufacturer: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    location: z.string().min(1).optional().describe('Where it is ("Living room"); Home Assistant suggests it as the area.'),
    address: z
      .strictObject({
        function: z.string().default(''),
        location: z.string().default(''),
        device: z.string().default(''),
      })
      .default({ function: '', location: '', device: '' })
      .describe('The internal function, location and device of its messages: commands are sent with them; statuses match them (empty matches any).'),
    capabilities: z.array(capabilitySchema).min(1, 'lists at least one capability'),
    publish: publishPolicySchema.optional().describe("How all its statuses are published (a deadband applies to its numbers); a capability's own keys win."),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.capabilities.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['capabilities', i, 'id'], message: `"${c.id}" is used twice in device "${d.id}"` });
      seen.add(c.id);
    });
  });

export const deviceListSchema = z.array(deviceSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${d.id}" is used by two devices` });
    seen.add(d.id);
  });
});

/** A device as an interface declares it (defaults optional). */
export type DeviceInput = z.input<typeof deviceSchema>;
/** A validated device description (defaults filled in). */
export type Device = z.output<typeof deviceSchema>;
export type Capability = z.output<typeof capabilitySchema>;
export type CommandBinding = z.output<typeof commandBindingSchema>;
export type StateBinding = z.output<typeof stateBindingSchema>;
/** A capability's value: boolean (binary), number, string (enum, text); triggers have none. */
export type CapabilityValue = boolean | number | string;

/** The JSON Schema of a list of device descriptions (`schema/devices.schema.json`), for editors and other tools. */
export function devicesJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(z.array(deviceSchema), { target: 'draft-7', io: 'input' }),
    $id: 'https://github.com/mg-gateway/mg/blob/main/packages/core/schema/devices.schema.json',
    title: '@mg device descriptions',
  };
}
