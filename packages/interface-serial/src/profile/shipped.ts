import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The package's `profiles` directory (from src/profile or dist/profile alike). */
const SHIPPED_PROFILES_DIR = join(__dirname, '..', '..', 'profiles');

/** Names of the profiles shipped with the package ("denon-avr"), sorted. */
export function shippedProfileNames(): string[] {
  return readdirSync(SHIPPED_PROFILES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** The file of a shipped profile, or undefined when there is none of that name. */
export function shippedProfilePath(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined; // a name, never a path
  const path = join(SHIPPED_PROFILES_DIR, `${name}.json`);
  return existsSync(path) ? path : undefined;
}
