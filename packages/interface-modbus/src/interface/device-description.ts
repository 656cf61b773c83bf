import { dirname, isAbsolute } from 'node:path';
import type { DeviceInput } from '@mg/core';
import { parseUnitList } from './unit-list.js';
import { loadUnitProfiles, type ModbusUnit } from './unit-profiles.js';

/** The `[INTERFACE]` options a description comes from. */
export interface DescriptionOptions {
  readonly devices: readonly string[];
  readonly function: string;
  readonly location: string;
}

/**
 * The devices of the bus for core (availability, Home Assistant, Homie): one per unit whose
 * profile declares capabilities, its id the unit's name, and the address its messages carry
 * (the `function` and `location` options, the unit's name as `device`) so that the statuses it
 * publishes are read as its states and the commands a convention sends reach it.
 */
export function describeUnits(units: readonly ModbusUnit[], o: Pick<DescriptionOptions, 'function' | 'location'>): DeviceInput[] {
  return units
    .filter((u) => u.compiled.capabilities.length > 0)
    .map((u) => {
      const { maker, model, name } = u.compiled;
      return {
        id: u.name,
        name: u.name,
        ...(maker ? { manufacturer: maker } : {}),
        model: model ?? name,
        ...(o.location ? { location: o.location } : {}),
        address: { function: o.function, location: o.location, device: u.name },
        capabilities: [...u.compiled.capabilities],
      };
    });
}

/** The directory relative profile files are found in: the configuration file's, when there is one. */
export function profileBaseDir(configFile: string | undefined): string | undefined {
  return configFile && isAbsolute(configFile) ? dirname(configFile) : undefined;
}

/**
 * `ModbusInterface.describe()`: the units whose profiles the options alone find (shipped names,
 * absolute paths, and relative ones once `baseDir` is known, as in the launcher). The
 * constructor, which knows the configuration file, declares them all.
 */
export function describeFromOptions(o: DescriptionOptions, baseDir: string | undefined): DeviceInput[] {
  return describeUnits(loadUnitProfiles(parseUnitList(o.devices), baseDir, { strict: false }), o);
}
