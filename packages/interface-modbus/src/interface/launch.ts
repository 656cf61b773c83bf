import { createAppProperties, parseCommandLine } from '@mg/app-properties';
import type { DeviceInput, InterfaceOptions } from '@mg/core';
import { ModbusInterface } from '../modbus-interface.js';
import { describeFromOptions, profileBaseDir } from './device-description.js';
import { modbusOptions, type ModbusOptions } from './options.js';

/**
 * The configuration file a launcher's command line names, found as `startGateway` finds it
 * (`-c PATH`, else `<app>.conf` in the working directory, then next to the launcher).
 * Undefined when the command line is wrong: `startGateway` then says so.
 */
export function configFileOf(argv: readonly string[], appName: string, launcherDir: string): string | undefined {
  try {
    return createAppProperties({ name: appName, launcherDir }).configPath(parseCommandLine(argv).conf);
  } catch {
    return undefined;
  }
}

/**
 * ModbusInterface whose `devices` option also loads relative profile files while the options
 * are validated, from the directory of `configFile`: `--check` never builds the interface, so
 * this is how it finds a bad profile (file, JSON path, what was expected) before a deployment
 * does.
 */
export function modbusInterfaceFor(configFile: string | undefined): typeof ModbusInterface {
  const baseDir = profileBaseDir(configFile);
  const options = modbusOptions(baseDir);
  // Keyed by name, so that the class is still called ModbusInterface in messages.
  return {
    ModbusInterface: class extends ModbusInterface {
      static override readonly options = options;
      static override describe(o: InterfaceOptions<ModbusOptions>): DeviceInput[] {
        return describeFromOptions(o, baseDir);
      }
    },
  }.ModbusInterface;
}
