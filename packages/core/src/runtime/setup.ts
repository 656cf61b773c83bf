import type { AppProperties } from '@mg/app-properties';
import { defineConfig, describeConfig, loadConfig, section, type ConfigInput, type LoadedConfig, type SectionSchema } from '@mg/config';
import type { ConnectionOptions } from '../mqtt/connection-options.js';
import { connectionOptions, loadMap } from './mqtt-settings.js';
import { parseDevices } from '../model/device-binding.js';
import type { Device } from '../model/device.js';
import type { MessageMap } from '../model/message-map.js';
import { ExtensionError } from '../error-catalog.js';
import { errorMessage } from '@mg/errors';
import type { ExtensionFiles, GatewayExtension } from './extension.js';
import { gatewaySections, interfaceSection, type GatewayConfig } from './gateway-config.js';
import { interfaceMode, type InterfaceClass } from './interface.js';

export type AnyConfig = GatewayConfig & Record<string, Record<string, unknown>>;

/** Configuration given by a program: sections of options, over the defaults. */
export type ConfigObject = Readonly<Record<string, Readonly<Record<string, ConfigInput>>>>;

/** Where a gateway's configuration comes from. */
export interface SetupSource {
  app: AppProperties;
  /** The INI files, read in order (the runner's `-c` file). */
  files: string[];
  /** Names the configuration in messages and anchors relative paths: the main file, if any. */
  configFile: string;
  values?: ConfigObject;
  valuesSource?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The application's own sections (an embedded broker's `[BROKER]`, ...). */
  sections?: Record<string, SectionSchema>;
  /** The extensions the launcher ships; each adds its section. */
  extensions?: readonly GatewayExtension[];
}

/** Everything known before connecting: validated configuration, map, connection options. */
export interface Setup {
  app: AppProperties;
  configFile: string;
  mode: 'polling' | 'event';
  loaded: LoadedConfig<AnyConfig>;
  config: AnyConfig;
  map: MessageMap;
  mapFile?: string;
  connection: ConnectionOptions;
  extensions: readonly GatewayExtension[];
  /** The devices of the class's static `describe()`, validated (empty without it). */
  devices: Device[];
  /** Every option with its origin (secrets hidden), and only those that were set. */
  configLines: string[];
  setLines: string[];
}

/**
 * The schema of a gateway's configuration: the core's sections, the application's, and the
 * interface's options as `[INTERFACE]` (typed when the class declares `static options`).
 */
function gatewaySchema(Interface: InterfaceClass, sections: Record<string, SectionSchema> = {}, extensions: readonly GatewayExtension[] = []) {
  const iface = Interface.options ? section(Interface.options, `Options of ${Interface.name}.`) : interfaceSection;
  const own = Object.fromEntries(extensions.map((e) => [e.section, section(e.options, e.description)]));
  return defineConfig({ ...own, ...sections, ...gatewaySections, INTERFACE: iface });
}

/** Loads and checks everything a gateway needs; throws a clear MgError on the first thing that cannot work. */
export function loadSetup(Interface: InterfaceClass, source: SetupSource): Setup {
  const mode = interfaceMode(Interface);
  const extensions = source.extensions ?? [];
  const schema = gatewaySchema(Interface, source.sections, extensions);
  const loaded = loadConfig(schema, {
    files: source.files,
    values: source.values,
    valuesSource: source.valuesSource,
    env: source.env,
  }) as LoadedConfig<AnyConfig>;
  const config = loaded.values;
  const { app, configFile } = source;
  // Relative file names in the configuration are found next to the configuration file.
  const base = configFile === '' ? undefined : configFile;
  const { map, file: mapFile } = loadMap(app, config.MQTT, base);
  const connection = connectionOptions(app, config.MQTT, map, base);
  checkExtensions(extensions, config, { filePath: (given) => app.filePath(given, '', base) });
  // Checked here so that --check refuses a description the interface would give at start.
  const devices = Interface.describe ? parseDevices(Interface.describe(config.INTERFACE), `${Interface.name}.describe()`) : [];
  return {
    extensions,
    devices,
    app,
    configFile,
    mode,
    loaded,
    config,
    map,
    mapFile,
    connection,
    configLines: describeConfig(schema, loaded),
    setLines: describeConfig(schema, loaded, { onlySet: true }),
  };
}

/** Each extension's rules between its options (its `check`), so that `--check` refuses what its start would. */
function checkExtensions(extensions: readonly GatewayExtension[], config: AnyConfig, files: ExtensionFiles): void {
  for (const ext of extensions) {
    try {
      ext.check?.(config[ext.section] ?? {}, files);
    } catch (err) {
      // Its own ExtensionError already names the option and says why.
      if (err instanceof ExtensionError && err.extension === ext.section) throw err;
      throw new ExtensionError(ext.section, 'EXTENSION_OPTIONS_INVALID', `[${ext.section}] options refused: ${errorMessage(err)}`, { cause: err });
    }
  }
}

/** `[INTERFACE]` values as text (`ctx.params`), as a file would have them. */
export function paramsOf(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'boolean' ? (v ? 'on' : 'off') : Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}
