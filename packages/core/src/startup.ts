import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isMgError, MgError } from '@mg/errors';
import type { Writable } from 'node:stream';
import { createAppProperties, helpText, parseCommandLine, type AppProperties, type CommandLine, type Logger, type Logging } from '@mg/app-properties';
import { defineConfig, describeConfig, loadConfig, type LoadedConfig, type SectionSchema } from '@mg/config';
import { gatewaySections, type GatewayConfig } from './gateway-config.js';
import type { MessageMap } from './message-map.js';
import { connectionOptions, loadMap } from './settings.js';
import type { ConnectionOptions } from './connection.js';

export interface GatewayOptions {
  /** Application name: `<name>.conf`, logger names, default client id, sender of messages. */
  appName: string;
  /** Application version, logged at start and printed by `--version`. */
  version?: string;
  /** One line for `--help`. */
  description?: string;
  /** Command line arguments. Default `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Environment for `MG_<SECTION>_<OPTION>` overrides. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Directory of the launcher (default: that of `process.argv[1]`). */
  launcherDir?: string;
  /** Extra configuration sections of the application, validated like the built-in ones. */
  sections?: Record<string, SectionSchema>;
  /** Output streams (logs, `--help`, `--check`). Default: the process's. */
  stdout?: Writable;
  stderr?: Writable;
  /**
   * Act as the process's main program (default true): handle SIGINT/SIGTERM, print startup
   * errors as one clear line and set the exit code instead of rejecting.
   */
  handleProcess?: boolean;
  /** Randomness for reconnection jitter (tests). */
  random?: () => number;
  /**
   * Runs after configuration and logging, before connecting (not for `--check`): start what
   * the gateway needs, such as an embedded broker. What it returns is closed after the
   * gateway has disconnected.
   */
  beforeConnect?: (context: ServiceContext) => Promise<StartedService | undefined | void>;
}

export interface ServiceContext {
  /** The whole validated configuration, the application's own sections included. */
  config: GatewayConfig & Record<string, Record<string, unknown>>;
  logger: Logger;
  configFile: string;
}

export interface StartedService {
  close(): Promise<void>;
}

/** Everything known before connecting. */
export interface Prepared {
  app: AppProperties;
  args: CommandLine;
  configFile: string;
  loaded: LoadedConfig<GatewayConfig & Record<string, Record<string, unknown>>>;
  config: GatewayConfig & Record<string, Record<string, unknown>>;
  map: MessageMap;
  mapFile?: string;
  connection: ConnectionOptions;
  configLines: string[];
  /** Only the options the files or the environment set. */
  setLines: string[];
}

export function coreVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Command line and early exits (`--help`, `--version`): returns the text to print, if any. */
export function earlyExit(options: GatewayOptions, args: CommandLine): string | undefined {
  if (args.help) return helpText(options.appName, options.description);
  if (args.version) return `${options.appName} ${options.version ?? '0.0.0'} (@mg/core ${coreVersion()})\n`;
  return undefined;
}

export function parseArgs(options: GatewayOptions): CommandLine {
  return parseCommandLine(options.argv ?? process.argv.slice(2));
}

/** Loads configuration and map; throws a clear MgError on the first thing that cannot work. */
export function prepare(options: GatewayOptions, args: CommandLine): Prepared {
  const app = createAppProperties({ name: options.appName, version: options.version, cwd: options.cwd, launcherDir: options.launcherDir });
  const configFile = app.configPath(args.conf);
  const schema = defineConfig({ ...(options.sections ?? {}), ...gatewaySections });
  let loaded: Prepared['loaded'];
  try {
    loaded = loadConfig(schema, { files: [configFile], env: options.env ?? process.env }) as Prepared['loaded'];
  } catch (err) {
    if (isMgError(err, 'CONFIG_FILE_MISSING') && !(args.conf && isAbsolute(args.conf))) {
      const looked = app.configCandidates(args.conf).join(', ');
      throw new MgError('CONFIG_FILE_MISSING', `configuration file not found (looked for ${looked}); give one with -c PATH`, { cause: err });
    }
    throw err;
  }
  const config = loaded.values;
  const { map, file: mapFile } = loadMap(app, config.MQTT, configFile);
  const connection = connectionOptions(app, config.MQTT, map, configFile);
  const configLines = describeConfig(schema, loaded);
  const setLines = describeConfig(schema, loaded, { onlySet: true });
  return { app, args, configFile, loaded, config, map, mapFile, connection, configLines, setLines };
}

/** What `--check` prints. */
export function checkReport(p: Prepared): string {
  const maps = Object.entries(p.map.describe())
    .map(([c, t]) => `${c} ${t}`)
    .join(', ');
  return [
    `${p.app.name} ${p.app.version}: configuration and map are valid`,
    `  configuration file: ${p.configFile}`,
    p.mapFile ? `  map file: ${p.mapFile}` : '  map: off (root and topics from [MQTT])',
    `  root: ${JSON.stringify(p.map.root)}; subscriptions: ${p.connection.subscriptions.join(', ') || '(none)'}`,
    `  vocabulary: ${maps}`,
    `  broker: ${p.connection.url} as "${p.connection.clientId}"`,
    `  availability: ${p.connection.availabilityTopic ?? 'off'}`,
    ...p.loaded.warnings.map((w) => `  warning: ${w}`),
    '  effective configuration:',
    ...p.configLines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

/** Logs the start banner, the configuration (secrets hidden), warnings and notices. */
export function logStart(logging: Logging, p: Prepared): void {
  const log = logging.logger('core');
  log.info(`${p.app.name} ${p.app.version} starting (@mg/core ${coreVersion()}, Node ${process.version}, pid ${process.pid})`);
  log.info(`configuration file: ${p.configFile}${p.mapFile ? `; map file: ${p.mapFile}` : ''}`);
  // The options that differ from the defaults at INFO; the whole configuration at DEBUG.
  for (const line of p.setLines) log.info(line);
  if (log.isLevelEnabled('debug')) for (const line of p.configLines) log.debug(line);
  for (const w of p.loaded.warnings) log.warn(w);
  for (const n of p.loaded.notices) log.info(n);
}
