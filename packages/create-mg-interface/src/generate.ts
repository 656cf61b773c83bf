import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NameError, namesFor } from './names.js';
import { profileTemplates } from './profile-templates.js';
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
  /** A serial2mqtt profile and its configuration instead of code (`mode` does not apply). */
  profile?: boolean;
}

/** Writes a new interface package; returns its directory. Throws a NameError on a bad name. */
export function generate(rawName: string, options: GenerateOptions): string {
  const names = namesFor(rawName);
  const dirName = options.workspace ? `interface-${names.name}` : names.app;
  const dir = resolve(options.parentDir, dirName);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new NameError(`${dir} already exists and is not empty: an interface "${names.name}" is already there; choose another name`);
  }
  const templateOptions = {
    packageName: options.workspace ? `@mg/interface-${names.name}` : names.app,
    coreRange: options.workspace ? 'workspace:^' : (options.coreRange ?? 'latest'),
    mode: options.mode ?? 'event',
  };
  const files = options.profile ? profileTemplates(names, templateOptions) : templates(names, templateOptions);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
