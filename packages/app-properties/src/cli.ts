import { parseArgs } from 'node:util';
import { CommandLineError } from './errors.js';

/** What the standard gateway command line asks for. */
export interface CommandLine {
  /** `-c/--conf PATH`, as given (resolved later by the path rules). */
  conf?: string;
  /** `--check`: validate configuration and map, print what was found, exit. */
  check: boolean;
  help: boolean;
  version: boolean;
}

/** Parses `-c/--conf PATH`, `--check`, `-h/--help`, `-V/--version`; anything else is a clear error. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        conf: { type: 'string', short: 'c' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'V', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.conf !== undefined && values.conf.trim() === '') {
      throw new CommandLineError('-c/--conf needs a file path');
    }
    return { conf: values.conf, check: values.check, help: values.help, version: values.version };
  } catch (err) {
    if (err instanceof CommandLineError) throw err;
    throw new CommandLineError(`${(err as Error).message}; try --help`, { cause: err });
  }
}

/** The text printed by `--help`. */
export function helpText(appName: string, description = ''): string {
  return [
    `Usage: ${appName} [-c PATH] [--check]`,
    ...(description ? ['', description] : []),
    '',
    'Options:',
    `  -c, --conf PATH  configuration file (default: ${appName}.conf, looked up in the`,
    '                   working directory, then next to the launcher)',
    '      --check      validate the configuration and the map file, print them, and exit',
    '                   (exit 0: valid; 1: invalid; 2: valid but with warnings, like an',
    '                   unknown option)',
    '  -h, --help       show this help and exit',
    '  -V, --version    show the version and exit',
    '',
  ].join('\n');
}
