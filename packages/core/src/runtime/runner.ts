import { isAbsolute } from 'node:path';
import type { Writable } from 'node:stream';
import { createAppProperties, parseCommandLine, type Logger, type Logging } from '@mg/app-properties';
import { ConfigError, type SectionSchema } from '@mg/config';
import { errorMessage, isMgError } from '@mg/errors';
import { Gateway } from './gateway.js';
import type { GatewayExtension } from './extension.js';
import type { InterfaceClass } from './interface.js';
import { loadSetup, type AnyConfig, type Setup } from './setup.js';
import { checkReport, earlyExit, logStart } from './startup.js';

/** What a launcher tells `startGateway`. */
export interface RunOptions {
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
  /** Directory of the launcher, where the shipped `<name>.conf` is looked for (default: that of `process.argv[1]`). */
  launcherDir?: string;
  /** Extra configuration sections of the application, validated like the built-in ones. */
  sections?: Record<string, SectionSchema>;
  /** The conventions this program ships (Home Assistant discovery, Homie): each is turned on by its own section. */
  extensions?: readonly GatewayExtension[];
  /**
   * Runs after configuration and logging, before the gateway starts (not for `--check`): start
   * what the gateway needs, such as an embedded broker. What it returns is closed after the
   * gateway has disconnected.
   */
  beforeConnect?: (context: ServiceContext) => Promise<StartedService | undefined | void>;
}

export interface ServiceContext {
  /** The whole validated configuration, the application's own sections included. */
  config: AnyConfig;
  logger: Logger;
  configFile: string;
}

export interface StartedService {
  close(): Promise<void>;
}

/** A gateway program, running or finished. */
export interface GatewayHandle {
  /** The gateway, for its events and counters (undefined for `--help`, `--check`, failures). */
  readonly gateway: Gateway | undefined;
  /** Stops gracefully, as SIGTERM does. */
  stop(): Promise<void>;
  /** Resolves with the exit code once the program has finished. */
  readonly done: Promise<number>;
}

/** How the program meets the process (tests give their own streams and keep the process). */
export interface RunnerIo {
  stdout: Writable;
  stderr: Writable;
  cwd?: string;
  /** Own the process: signals, last-resort error handlers, exit code and exit. */
  process: boolean;
  random?: () => number;
}

/**
 * The program around a gateway: command line (`-c`, `--check`, `--help`, `--version`),
 * configuration file and environment, logging, SIGINT/SIGTERM, exit codes (0 after a clean
 * stop, 1 when it cannot start or dies, 2 for `--check` with warnings). Errors that escape the
 * interface end in one CRITICAL line, `offline` and exit 1, for the supervisor to restart it.
 */
export function startGateway(Interface: InterfaceClass, options: RunOptions): Promise<GatewayHandle> {
  return runGateway(Interface, options, { stdout: process.stdout, stderr: process.stderr, process: true });
}

export async function runGateway(Interface: InterfaceClass, options: RunOptions, io: RunnerIo): Promise<GatewayHandle> {
  const finished = (code: number): GatewayHandle => {
    if (io.process) process.exitCode = code;
    return { gateway: undefined, stop: async () => undefined, done: Promise.resolve(code) };
  };
  // Before the logs exist, a failure is one line on stderr (with the stack under MG_DEBUG).
  const failed = (err: unknown): GatewayHandle => {
    if (!io.process) throw err;
    io.stderr.write(`${options.appName}: ${errorMessage(err)}\n`);
    if ((options.env ?? process.env).MG_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return finished(1);
  };

  let setup: Setup;
  let logging: Logging;
  try {
    const args = parseCommandLine(options.argv ?? process.argv.slice(2));
    const early = earlyExit(options, args);
    if (early !== undefined) {
      io.stdout.write(early);
      return finished(0);
    }
    const app = createAppProperties({ name: options.appName, version: options.version, cwd: io.cwd, launcherDir: options.launcherDir });
    const configFile = app.configPath(args.conf);
    try {
      setup = loadSetup(Interface, {
        app,
        files: [configFile],
        configFile,
        env: options.env ?? process.env,
        sections: options.sections,
        extensions: options.extensions,
      });
    } catch (err) {
      if (isMgError(err, 'CONFIG_FILE_MISSING') && !(args.conf && isAbsolute(args.conf))) {
        const looked = app.configCandidates(args.conf).join(', ');
        throw new ConfigError('CONFIG_FILE_MISSING', [{ file: looked, expected: 'no configuration file found there; give one with -c PATH' }], { cause: err });
      }
      throw err;
    }
    if (args.check) {
      io.stdout.write(checkReport(setup));
      // Like a linter: a run goes on past an unknown option (a warning), a check does not.
      return finished(setup.loaded.warnings.length > 0 ? 2 : 0);
    }
    logging = app.startLogging(setup.config.LOG, configFile, { stdout: io.stdout, stderr: io.stderr });
  } catch (err) {
    return failed(err);
  }
  logStart(logging, setup);
  const log = logging.logger('core');
  let gateway: Gateway | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let exitCode = 0;
  // A stop asked for while services start (a signal during beforeConnect) is kept, and carried
  // out as soon as the gateway exists.
  let stopAsked = false;
  const stop = async (code = 0) => {
    exitCode = Math.max(exitCode, code);
    stopAsked = true;
    await gateway?.stop();
  };

  // One listener per signal for the whole run: a signal that arrives while services start is
  // kept and acted on once the gateway exists.
  const onSignal = (signal: NodeJS.Signals) => {
    log.info(`${signal} received: stopping`);
    void stop();
  };
  // The last resort: an error from interface code that nothing contained (a device callback,
  // a timer, an event emitter). One line a user can act on, then a clean stop and exit 1.
  const onFatal = (err: unknown) => {
    log.critical(`unexpected error, the gateway stops (the supervisor should restart it): ${errorMessage(err)}`);
    if (err instanceof Error && err.stack) log.debug(err.stack);
    void stop(1);
  };
  if (io.process) {
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    process.on('uncaughtException', onFatal).on('unhandledRejection', onFatal);
  }
  const release = () => {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    process.off('uncaughtException', onFatal).off('unhandledRejection', onFatal);
  };

  let service: StartedService | undefined;
  try {
    service = (await options.beforeConnect?.({ config: setup.config, logger: logging.logger('service'), configFile: setup.configFile })) ?? undefined;
    gateway = new Gateway(Interface, setup, { logging, owned: service ? [service, logging] : [logging], random: io.random });
  } catch (err) {
    log.critical(`cannot start: ${errorMessage(err)}`);
    await service?.close();
    await logging.close();
    release();
    if (!io.process) throw err;
    return finished(1);
  }
  const stopped = new Promise<void>((resolve) => gateway.once('stopped', () => resolve()));
  try {
    if (stopAsked) await gateway.stop();
    else await gateway.start();
  } catch (err) {
    // The gateway has said why (CRITICAL) and stopped itself.
    exitCode = 1;
    if (!io.process) {
      release();
      throw err;
    }
  }
  void stopped.then(() => {
    release();
    if (io.process) {
      process.exitCode = exitCode;
      // An interface that left a socket or a timer open would keep the process alive after a
      // clean stop; give the event loop a moment to empty, then exit with the code set.
      setTimeout(() => process.exit(), 3_000).unref();
    }
    resolveDone(exitCode);
  });
  return { gateway, stop: () => stop(), done };
}
