import type { DeviceInput } from '@mg/core';
import type { CompiledProfile } from '../profile/compiled.js';
import { loadProfileFile } from '../profile/load.js';
import { locateProfile } from './profile-source.js';

/** A device id as core takes it: every convention uses it as a topic level. */
export const DEVICE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The `[INTERFACE]` options a device description comes from. */
export interface DeviceDescriptionOptions {
  readonly deviceid: string;
  readonly devicename: string;
  readonly function: string;
  readonly location: string;
  readonly device: string;
}

/**
 * An id made from a profile name, which is free text: lower case without accents, any run of
 * other characters outside [a-z0-9] one hyphen ("ACME Projector_2" gives "acme-projector-2");
 * a name with nothing usable in it gives "serial-device".
 */
export function deviceIdFrom(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: "Épée" gives "epee", not "p-e"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return id === '' ? 'serial-device' : id;
}

/** The id of the device a profile describes: `[INTERFACE] deviceid`, or one made from the profile's name. */
export function serialDeviceId(profile: CompiledProfile, o: Pick<DeviceDescriptionOptions, 'deviceid'>): string {
  return o.deviceid || deviceIdFrom(profile.name);
}

/**
 * The device this gateway serves, as the profile's capabilities describe it; none for a
 * profile without capabilities. Its address is what the interface's messages carry (the
 * `function`, `location` and `device` options), so that the statuses it publishes are read as
 * the device's states and the commands a convention sends are addressed to it.
 */
export function describeSerialDevice(profile: CompiledProfile, o: DeviceDescriptionOptions): DeviceInput[] {
  const { capabilities, maker } = profile.definition;
  if (!capabilities || capabilities.length === 0) return [];
  return [
    {
      id: serialDeviceId(profile, o),
      name: o.devicename || o.device || profile.name,
      ...(maker ? { manufacturer: maker } : {}),
      model: profile.name,
      ...(o.location ? { location: o.location } : {}),
      address: { function: o.function, location: o.location, device: o.device },
      capabilities,
    },
  ];
}

/**
 * `SerialInterface.describe()`: the device of the profile `[INTERFACE] profile` names, when the
 * options alone find it (a shipped name, an absolute path, a relative path once `dirs` are
 * known, as in the launcher). Otherwise none here: the constructor, which knows the
 * configuration file, declares the device once it has loaded the profile.
 */
export function describeFromOptions(o: DeviceDescriptionOptions & { readonly profile: string }, dirs: readonly string[]): DeviceInput[] {
  const path = locateProfile(o.profile, dirs);
  return path === undefined ? [] : describeSerialDevice(loadProfileFile(path), o);
}
