import { createAppProperties, parseCommandLine } from '@mg/app-properties';
import type { DeviceInput, InterfaceOptions } from '@mg/core';
import { SerialInterface } from '../serial-interface.js';
import { describeFromOptions } from './device-description.js';
import { serialOptions, type SerialOptions } from './options.js';
import { profileDirs } from './profile-source.js';

/**
 * The configuration file a launcher's command line names, found as `startGateway` finds it
 * (`-c PATH`, else `<app>.conf` in the working directory, then next to the launcher), with the
 * same functions. Undefined when the command line is wrong: `startGateway` then says so.
 */
export function configFileOf(argv: readonly string[], appName: string, launcherDir: string): string | undefined {
  try {
    return createAppProperties({ name: appName, launcherDir }).configPath(parseCommandLine(argv).conf);
  } catch {
    return undefined;
  }
}

/**
 * SerialInterface whose `profile` option also loads relative profile files while the options
 * are validated, from the directory of `configFile`: `--check` never builds the interface, so
 * this is how it finds a bad profile (with the JSON path of each problem) before a deployment
 * does. Shipped names and absolute paths are checked by SerialInterface itself.
 */
export function serialInterfaceFor(configFile: string | undefined): typeof SerialInterface {
  const dirs = profileDirs(configFile);
  const options = serialOptions(dirs);
  // Keyed by name, so that the class is still called SerialInterface in messages.
  return {
    SerialInterface: class extends SerialInterface {
      static override readonly options = options;
      // Finds a relative profile as the options do, so that --check validates its device too.
      static override describe(o: InterfaceOptions<SerialOptions>): DeviceInput[] {
        return describeFromOptions(o, dirs);
      }
    },
  }.SerialInterface;
}
