import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NameError, namesFor } from './names.js';
import { templates } from './templates.js';

export interface GenerateOptions {
  /** Where the package directory is created. */
  parentDir: string;
  /** Inside the @mg workspace: `@mg/interface-<name>` with `workspace:^` dependencies. */
  workspace?: boolean;
  /** Range of @mg/core (and @mg/device-io, released with it) outside the workspace. */
  coreRange?: string;
  /** `event` (default): a device on a line transport, a message loop in the background; `polling`: loop() in turns. */
  mode?: 'event' | 'polling';
}

/** Writes a new interface package; returns its directory. Throws a NameError on a bad name. */
export function generate(rawName: string, options: GenerateOptions): string {
  const names = namesFor(rawName);
  const dirName = options.workspace ? `interface-${names.name}` : names.app;
  const dir = resolve(options.parentDir, dirName);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new NameError(`${dir} already exists and is not empty: an interface "${names.name}" is already there; choose another name`);
  }
  const files = templates(names, {
    packageName: options.workspace ? `@mg/interface-${names.name}` : names.app,
    coreRange: options.workspace ? 'workspace:^' : (options.coreRange ?? 'latest'),
    mode: options.mode ?? 'event',
  });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
