import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';

export interface ResolvePathOptions {
  /** The file name used when none is given, or when a directory is given: app name + extension. */
  defaultName: string;
  /** Directories tried in order for relative paths (config file's, working, launcher's). */
  dirs: readonly string[];
  /** Whether a path exists. Default `fs.existsSync`; tests pass their own. */
  exists?: (path: string) => boolean;
}

/**
 * The path rules for every file name given by an option or the command line:
 * - empty or `.` means the default name, looked up in the default directories;
 * - a path ending in `/` is a directory: the default name is appended;
 * - an absolute path is used as it is;
 * - a relative path is tried in each default directory in order; the first that exists wins,
 *   else the first candidate (so error messages name a sensible place).
 */
export function resolvePath(given: string | undefined, options: ResolvePathOptions): string {
  const exists = options.exists ?? existsSync;
  let name = (given ?? '').trim();
  if (name === '' || name === '.') name = options.defaultName;
  else if (name.endsWith('/')) name = name + options.defaultName;
  if (isAbsolute(name)) return normalize(name);
  const candidates = [...new Set(options.dirs.map((dir) => normalize(join(dir, name))))];
  if (candidates.length === 0) throw new TypeError('resolvePath needs at least one directory for a relative path');
  return candidates.find((c) => exists(c)) ?? candidates[0]!;
}

/** Every place `resolvePath` would look, in order (for "not found, looked in ..." messages). */
export function candidatePaths(given: string | undefined, options: Omit<ResolvePathOptions, 'exists'>): string[] {
  const seen: string[] = [];
  resolvePath(given, {
    ...options,
    exists: (p) => {
      seen.push(p);
      return false;
    },
  });
  return seen.length > 0 ? seen : [resolvePath(given, options)];
}
