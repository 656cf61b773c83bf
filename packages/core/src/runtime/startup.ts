import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpText, type CommandLine, type Logging } from '@mg/app-properties';
import type { Setup } from './setup.js';

function coreVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Command line and early exits (`--help`, `--version`): returns the text to print, if any. */
export function earlyExit(options: { appName: string; version?: string; description?: string }, args: CommandLine): string | undefined {
  if (args.help) return helpText(options.appName, options.description);
  if (args.version) return `${options.appName} ${options.version ?? '0.0.0'} (@mg/core ${coreVersion()})\n`;
  return undefined;
}

/** What `--check` prints. */
export function checkReport(p: Setup): string {
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
    ...(p.devices.length > 0 ? [`  devices: ${p.devices.map((d) => `${d.id} (${d.capabilities.map((c) => c.id).join(', ')})`).join('; ')}`] : []),
    ...(p.extensions.length > 0 ? [`  conventions: ${p.extensions.map((e) => `[${e.section}]`).join(', ')} (on or off by their own options)`] : []),
    ...p.loaded.warnings.map((w) => `  warning: ${w}`),
    '  effective configuration:',
    ...p.configLines.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

/** Logs the start banner, the configuration (secrets hidden), warnings and notices. */
export function logStart(logging: Logging, p: Setup): void {
  const log = logging.logger('core');
  log.info(`${p.app.name} ${p.app.version} starting (@mg/core ${coreVersion()}, Node ${process.version}, pid ${process.pid})`);
  log.info(`configuration: ${p.configFile || 'configuration object'}${p.mapFile ? `; map file: ${p.mapFile}` : ''}`);
  // The options that differ from the defaults at INFO; the whole configuration at DEBUG.
  for (const line of p.setLines) log.info(line);
  if (log.isLevelEnabled('debug')) for (const line of p.configLines) log.debug(line);
  for (const w of p.loaded.warnings) log.warn(w);
  for (const n of p.loaded.notices) log.info(n);
}
