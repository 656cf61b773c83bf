import { DeviceError } from '../error-catalog.js';
import { describeIssues } from './map-errors.js';
import { capabilitySchema, deviceListSchema, deviceSchema, type Capability, type CapabilityValue, type Device, type DeviceInput } from './device.js';
import { InternalMessage, isReply, newArguments } from './message.js';
import { publishPolicySchema } from './publish-policy.js';

export { DeviceError };

/** Validates device descriptions, defaults filled in; throws a DeviceError listing every issue with its path. */
export function parseDevices(input: readonly DeviceInput[], source: string): Device[] {
  const r = deviceListSchema.safeParse(input);
  if (r.success) return r.data;
  const known = (path: readonly PropertyKey[]) => {
    if (path.at(-1) === 'publish') return Object.keys(publishPolicySchema.shape);
    const depth = path.filter((p) => typeof p === 'number').length;
    return Object.keys(depth === 1 ? deviceSchema.shape : capabilitySchema.shape);
  };
  const lines = describeIssues(r.error.issues, input, known);
  throw new DeviceError('DEVICE_INVALID', `${source}: invalid device description:\n  ${lines.join('\n  ')}`);
}

/** A value as a reason shows it: cut, so that a long payload does not fill the log. */
const shown = (v: unknown) => {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 40 ? `${t.slice(0, 40)}...` : t;
};

const TRUE = new Set(['on', 'true', '1', 'yes']);
const FALSE = new Set(['off', 'false', '0', 'no']);

/** A value for a capability, checked against its kind, range and options; a string says what is wrong. */
function checkValue(c: Capability, value: CapabilityValue | undefined): { ok: true; value: CapabilityValue | undefined } | { ok: false; reason: string } {
  switch (c.kind) {
    case 'trigger':
      return value === undefined ? { ok: true, value: undefined } : { ok: false, reason: `${c.id} is a trigger: it takes no value, got ${shown(value)}` };
    case 'binary':
      return typeof value === 'boolean' ? { ok: true, value } : { ok: false, reason: `${c.id} expects on or off, got ${shown(value)}` };
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, reason: `${c.id} expects a number, got ${shown(value)}` };
      if ((c.min !== undefined && value < c.min) || (c.max !== undefined && value > c.max))
        return { ok: false, reason: `${c.id} expects a number from ${c.min ?? '-∞'} to ${c.max ?? '∞'}, got ${value}` };
      return { ok: true, value };
    }
    case 'enum':
      return typeof value === 'string' && c.options!.includes(value)
        ? { ok: true, value }
        : { ok: false, reason: `${c.id} expects one of ${c.options!.join(', ')}, got ${shown(value)}` };
    case 'text':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, reason: `${c.id} expects text, got ${shown(value)}` };
  }
}

/**
 * The internal command that writes `value` to a capability, addressed to the device, from
 * `sender` (the convention: `homeassistant`, `homie`); a string says why it cannot be sent.
 */
export function commandFor(device: Device, c: Capability, value: CapabilityValue | undefined, sender: string): InternalMessage | string {
  if (!c.command || c.access === 'read') return `${device.id}/${c.id} cannot be written`;
  const checked = checkValue(c, value);
  if (!checked.ok) return checked.reason;
  const args = newArguments();
  let action: string;
  if ('actions' in c.command) {
    const key = typeof checked.value === 'boolean' ? (checked.value ? 'on' : 'off') : String(checked.value);
    const a = c.command.actions[key];
    if (a === undefined) return `${device.id}/${c.id} has no command for ${key}`;
    action = a;
  } else {
    action = c.command.action;
    if (c.command.argument !== undefined && checked.value !== undefined)
      args[c.command.argument] = typeof checked.value === 'boolean' ? (checked.value ? 'on' : 'off') : checked.value;
  }
  const { function: fn, location, device: dev } = device.address;
  return new InternalMessage({ isCmd: true, function: fn, location, device: dev, sender, action, arguments: args }, true);
}

function toValue(c: Capability, raw: unknown): CapabilityValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  switch (c.kind) {
    case 'binary': {
      if (typeof raw === 'boolean') return raw;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object matches neither set: no value
      const t = String(raw).toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : undefined;
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return typeof raw !== 'object' && raw !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'enum':
    case 'text':
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects took the branch before
      return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
    case 'trigger':
      return undefined;
  }
}

/** A capability's new value, read from a status. */
export interface StateUpdate {
  device: Device;
  capability: Capability;
  value: CapabilityValue;
}

interface Reader {
  device: Device;
  capability: Capability;
  read(msg: InternalMessage): unknown;
}

/**
 * Finds the capability values a status reports, for a set of devices. Built once per set
 * of descriptions: statuses are looked up by action, so each costs one map lookup.
 */
export class StateIndex {
  private readonly byAction = new Map<string, Reader[]>();

  constructor(devices: readonly Device[]) {
    for (const device of devices) {
      for (const capability of device.capabilities) {
        const s = capability.state;
        if (!s || capability.access === 'write') continue;
        if ('actions' in s) for (const [action, value] of Object.entries(s.actions)) this.add(action, { device, capability, read: () => value });
        else this.add(s.action, { device, capability, read: (m) => m.arguments[s.argument] });
      }
    }
  }

  /** The values a status carries (none for a command, or a status no capability reads). */
  updates(msg: InternalMessage): StateUpdate[] {
    // A reply carries its command's action: it says the state changed only when the command worked.
    if (msg.isCmd || (isReply(msg) && msg.arguments.response !== 'OK')) return [];
    const readers = this.byAction.get(msg.action);
    if (!readers) return [];
    const out: StateUpdate[] = [];
    for (const r of readers) {
      const a = r.device.address;
      if ((a.function && a.function !== msg.function) || (a.location && a.location !== msg.location) || (a.device && a.device !== msg.device)) continue;
      const value = toValue(r.capability, r.read(msg));
      if (value !== undefined) out.push({ device: r.device, capability: r.capability, value });
    }
    return out;
  }

  private add(action: string, reader: Reader): void {
    const list = this.byAction.get(action);
    if (list) list.push(reader);
    else this.byAction.set(action, [reader]);
  }
}
