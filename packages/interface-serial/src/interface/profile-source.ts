import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { ProfileError } from '../errors.js';
import type { CompiledProfile } from '../profile/compiled.js';
import { loadProfileFile } from '../profile/load.js';
import { shippedProfileNames, shippedProfilePath } from '../profile/shipped.js';

/** A shipped profile's name: lower case, digits and dashes (`denon-avr`). Anything else is a file. */
const SHIPPED_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Where relative profile files are looked for: next to the configuration file (when the
 * gateway has one: `ctx.configFile` is then an absolute path), then in the working directory.
 */
export function profileDirs(configFile: string | undefined, cwd = process.cwd()): string[] {
  const dirs = configFile && isAbsolute(configFile) ? [dirname(configFile)] : [];
  return [...new Set([...dirs, resolve(cwd)])];
}

/**
 * The file of `[INTERFACE] profile`: a shipped profile's name, an absolute path, or a relative
 * path tried in each of `dirs` in order (the first that exists wins, else the first, so that
 * "does not exist" names a sensible place). Undefined for a relative path when no directory is
 * known yet (the option parser without a configuration file: the constructor checks it).
 */
export function locateProfile(given: string, dirs: readonly string[]): string | undefined {
  const text = given.trim();
  if (SHIPPED_NAME.test(text)) {
    const path = shippedProfilePath(text);
    if (path) return path;
    throw new ProfileError(
      'PROFILE_NOT_FOUND',
      `no shipped profile is called "${text}" (shipped: ${shippedProfileNames().join(', ')}); for a file of yours give its path, e.g. ./${text}.json`,
    );
  }
  if (isAbsolute(text)) return normalize(text);
  if (dirs.length === 0) return undefined;
  const candidates = dirs.map((dir) => normalize(join(dir, text)));
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** Loads and compiles the profile `[INTERFACE] profile` names; throws a ProfileError saying what is wrong and where. */
export function openProfile(given: string, dirs: readonly string[]): CompiledProfile {
  const path = locateProfile(given, dirs.length > 0 ? dirs : profileDirs(undefined));
  return loadProfileFile(path!);
}
