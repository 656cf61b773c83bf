import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { createLogging, type Logging } from './logging.js';
import type { LogSettings } from './log-settings.js';
import { candidatePaths, resolvePath } from './paths.js';

export interface AppPropertiesOptions {
  /** Application name: default file names (`<name>.conf`, `.map`, `.log`), logger names, client id. */
  name: string;
  version?: string;
  /** Directory of the launcher script. Default: the directory of `process.argv[1]`. */
  launcherDir?: string;
  /** Working directory. Default `process.cwd()`. */
  cwd?: string;
}

/** Application-wide facts, passed to whoever needs them (never read from a global). */
export interface AppProperties {
  readonly name: string;
  readonly version: string;
  readonly launcherDir: string;
  readonly cwd: string;
  /** The configuration file: `-c PATH` or `<name>.conf`, looked up in the working then launcher directory. */
  configPath(given?: string): string;
  /** Where `configPath` looks, in order (for error messages). */
  configCandidates(given?: string): string[];
  /**
   * A file named by an option (`mapfilename`, `logfilename`): the default name is `<name><ext>`,
   * relative names are looked up next to the configuration file, then in the working and the
   * launcher directories.
   */
  filePath(given: string | undefined, ext: string, configFile?: string): string;
  /** Starts the logging outputs with `logfilename` resolved by the path rules. */
  startLogging(settings: LogSettings, configFile?: string, streams?: { stdout?: Writable; stderr?: Writable }): Logging;
}

export function createAppProperties(options: AppPropertiesOptions): AppProperties {
  const name = options.name;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new TypeError(`application name "${name}" must be letters, digits, ".", "_" or "-" (it names files)`);
  }
  const cwd = resolve(options.cwd ?? process.cwd());
  const launcherDir = resolve(options.launcherDir ?? (process.argv[1] ? dirname(process.argv[1]) : cwd));
  const confOptions = { defaultName: `${name}.conf`, dirs: [cwd, launcherDir] };
  const app: AppProperties = {
    name,
    version: options.version ?? '0.0.0',
    launcherDir,
    cwd,
    configPath: (given) => resolvePath(given, confOptions),
    configCandidates: (given) => candidatePaths(given, confOptions),
    filePath: (given, ext, configFile) =>
      resolvePath(given, {
        defaultName: `${name}${ext}`,
        dirs: [...(configFile ? [dirname(resolve(configFile))] : []), cwd, launcherDir],
      }),
    startLogging: (settings, configFile, streams = {}) =>
      createLogging({
        appName: name,
        settings: {
          ...settings,
          logfilename: settings.logfilename.trim() === '' ? '' : app.filePath(settings.logfilename, '.log', configFile),
        },
        ...streams,
      }),
  };
  return app;
}
