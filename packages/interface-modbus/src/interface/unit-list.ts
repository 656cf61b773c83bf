import { ModbusError } from '../errors.js';

/** One unit of `[INTERFACE] devices`: `meter:1:eastron-sdm630`. */
export interface UnitEntry {
  /** Its device id for core (availability topic, Home Assistant, Homie) and the `device` of its messages. */
  readonly name: string;
  /** Its Modbus unit id (slave address). */
  readonly unit: number;
  /** A shipped profile's name or a JSON file, relative to the configuration file. */
  readonly profile: string;
}

/** A device id as core takes it: every convention uses it as a topic level. */
const UNIT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

const EXAMPLE = 'e.g. "devices: meter:1:eastron-sdm630, relays:2:generic-relay-board"';

/**
 * Reads the entries of `[INTERFACE] devices` (already split at commas). Throws a ModbusError
 * (MODBUS_CONFIG) naming every entry that is wrong and what was expected.
 */
export function parseUnitList(entries: readonly string[]): UnitEntry[] {
  const problems: string[] = [];
  const units: UnitEntry[] = [];
  const names = new Map<string, string>();
  const ids = new Map<number, string>();
  for (const entry of entries) {
    const parts = entry.split(':').map((p) => p.trim());
    // A Windows profile path may hold a colon (C:\...): everything after the second colon is the profile.
    const [name = '', unitText = '', ...rest] = parts;
    const profile = rest.join(':');
    if (parts.length < 3 || name === '' || unitText === '' || profile === '') {
      problems.push(`"${entry}" is not name:unit:profile (${EXAMPLE})`);
      continue;
    }
    const unit = /^\d+$/.test(unitText) ? Number(unitText) : Number.NaN;
    if (!UNIT_NAME.test(name)) {
      problems.push(
        `"${entry}": the name "${name}" must be lowercase letters, digits and hyphens, not starting with a hyphen, at most 64 (it is a topic level)`,
      );
    } else if (!(unit >= 0 && unit <= 255)) {
      problems.push(`"${entry}": the unit id "${unitText}" must be a whole number from 0 to 255 (1 to 247 on a serial line)`);
    } else if (names.has(name)) {
      problems.push(`"${entry}": the name "${name}" is used by "${names.get(name)}" already`);
    } else if (ids.has(unit)) {
      problems.push(`"${entry}": unit ${unit} is used by "${ids.get(unit)}" already`);
    } else {
      names.set(name, entry);
      ids.set(unit, entry);
      units.push({ name, unit, profile });
    }
  }
  if (problems.length === 0 && units.length === 0) problems.push(`lists no device (${EXAMPLE})`);
  if (problems.length > 0) throw new ModbusError('MODBUS_CONFIG', problems.join('; '));
  return units;
}
