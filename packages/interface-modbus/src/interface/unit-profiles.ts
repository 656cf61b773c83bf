import { isAbsolute } from 'node:path';
import { errorMessage } from '@mg/errors';
import { ModbusError } from '../errors.js';
import { loadModbusProfile, shippedModbusProfileNames, type CompiledModbusProfile } from '../profile/index.js';
import type { UnitEntry } from './unit-list.js';

const SHIPPED_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** A unit of the bus with its profile loaded. */
export interface ModbusUnit extends UnitEntry {
  readonly compiled: CompiledModbusProfile;
}

/**
 * Loads the profile of each unit; a profile named by several units is loaded once. A relative
 * file is found in `baseDir` (the configuration file's directory); without one, `strict: false`
 * leaves such units out (the options' check, before the configuration file is known) and
 * `strict: true` looks in the working directory. Throws a ModbusError (MODBUS_CONFIG) naming
 * each unit whose profile cannot be used, with the profile's own message (file, JSON path,
 * what was expected); the first ModbusProfileError is its cause.
 */
export function loadUnitProfiles(entries: readonly UnitEntry[], baseDir: string | undefined, o: { strict: boolean }): ModbusUnit[] {
  const shipped = new Set(shippedModbusProfileNames());
  const loaded = new Map<string, CompiledModbusProfile | Error>();
  const units: ModbusUnit[] = [];
  const problems: string[] = [];
  let cause: unknown;
  for (const entry of entries) {
    // A bare name is a shipped profile's (a wrong one is reported at once); a path needs its directory.
    const located = shipped.has(entry.profile) || SHIPPED_NAME.test(entry.profile) || isAbsolute(entry.profile);
    if (!located && baseDir === undefined && !o.strict) continue;
    let compiled = loaded.get(entry.profile);
    if (compiled === undefined) {
      try {
        compiled = loadModbusProfile(entry.profile, baseDir ?? process.cwd());
      } catch (err) {
        compiled = err instanceof Error ? err : new Error(errorMessage(err));
      }
      loaded.set(entry.profile, compiled);
    }
    if (compiled instanceof Error) {
      cause ??= compiled;
      problems.push(`${entry.name} (unit ${entry.unit}): ${compiled.message}`);
    } else {
      units.push({ ...entry, compiled });
    }
  }
  if (problems.length > 0) throw new ModbusError('MODBUS_CONFIG', problems.join('\n'), { cause });
  return units;
}
