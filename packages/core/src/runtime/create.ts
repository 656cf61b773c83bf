import { createAppProperties, type Logging } from '@mg/app-properties';
import type { SectionSchema } from '@mg/config';
import { Gateway } from './gateway.js';
import type { GatewayExtension } from './extension.js';
import type { InterfaceClass } from './interface.js';
import { loadSetup, type ConfigObject } from './setup.js';
import { logStart } from './startup.js';

/** What `createGateway` builds a gateway from. */
export interface GatewayOptions {
  /** Application name: logger names, default client id, sender of messages, default file names. */
  appName: string;
  version?: string;
  /**
   * The configuration, by section, over the defaults (and over `configFile` when given):
   * `{ MQTT: { host: 'broker', port: 1884 }, INTERFACE: { interval: 5 } }`. Validated like a
   * file: a bad value throws a ConfigError naming the option and what was expected.
   */
  config?: ConfigObject;
  /** An INI configuration file to read first. Relative file names in it are found next to it. */
  configFile?: string;
  /** `MG_<SECTION>_<OPTION>` overrides. Default: none (a library call does not read the environment). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative file names are resolved from when there is no `configFile`. Default: the working directory. */
  cwd?: string;
  /** Extra configuration sections of the application. */
  sections?: Record<string, SectionSchema>;
  /** Conventions (Home Assistant discovery, Homie): each is turned on by its own section. */
  extensions?: readonly GatewayExtension[];
  /** Where logs go. Default: outputs started from the `[LOG]` section (closed with the gateway). */
  logging?: Logging;
}

/**
 * Builds a gateway from an interface class and a configuration, without touching the process
 * (no command line, no signals, no exit): for programs that embed gateways, several in one
 * process if they like (each with its own `clientid`). Throws at once on a configuration that
 * cannot work; `await gateway.start()` then runs it, `await gateway.stop()` ends it.
 */
export function createGateway(Interface: InterfaceClass, options: GatewayOptions): Gateway {
  const app = createAppProperties({ name: options.appName, version: options.version, cwd: options.cwd, launcherDir: options.cwd });
  const files = options.configFile ? [app.filePath(options.configFile, '.conf')] : [];
  const setup = loadSetup(Interface, {
    app,
    files,
    configFile: files[0] ?? '',
    values: options.config,
    valuesSource: 'createGateway() config',
    env: options.env,
    sections: options.sections,
    extensions: options.extensions,
  });
  const logging = options.logging ?? app.startLogging(setup.config.LOG, files[0]);
  logStart(logging, setup);
  return new Gateway(Interface, setup, { logging, owned: options.logging ? [] : [logging] });
}
