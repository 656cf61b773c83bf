import { fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';
import winston from 'winston';
import type TransportStream from 'winston-transport';
import { EmailTransport } from './email-transport.js';
import { RotatingFileTransport } from './rotating-file-transport.js';
import type { LogSettings } from './log-settings.js';
import { LEVELS, namedLogger, type Level, type Logger } from './logger.js';

export interface LoggingOptions {
  appName: string;
  /** `[LOG]` values; `logfilename` must already be resolved (empty for no file). */
  settings: LogSettings;
  /** Streams for the console outputs. Default: process.stdout and process.stderr. */
  stdout?: Writable;
  stderr?: Writable;
}

/** The application's log outputs and the loggers that write to them. */
export interface Logging {
  /** A named logger on the shared outputs: `logging.logger('core')`. */
  logger(name: string): Logger;
  /** Flushes files and pending mails; loggers must not be used afterwards. */
  close(): Promise<void>;
}

const { combine, timestamp, printf } = winston.format;

/**
 * True when two streams write to the same file, pipe or terminal: file descriptors whose
 * device and inode match (`2>&1`, or both on one terminal). Streams without a descriptor
 * (tests' PassThrough streams) are never the same.
 */
function sameDestination(a: Writable, b: Writable): boolean {
  const fa = (a as Partial<{ fd: number }>).fd;
  const fb = (b as Partial<{ fd: number }>).fd;
  if (typeof fa !== 'number' || typeof fb !== 'number') return false;
  try {
    const sa = fstatSync(fa);
    const sb = fstatSync(fb);
    return sa.dev === sb.dev && sa.ino === sb.ino && sa.rdev === sb.rdev;
  } catch {
    return false;
  }
}

const line = printf(
  (info) => `${String(info.timestamp)} ${typeof info.name === 'string' ? info.name : '-'} ${info.level.toUpperCase()}: ${String(info.message)}`,
);

/**
 * Builds the log outputs: standard error at WARN and above (always), standard output at
 * `consolelevel` (where both are one place, standard output alone writes both, each line once), a rotating file at `filelevel`, and email for CRITICAL records. Every logger
 * made by `logger(name)` shares them. Nothing global: each call builds its own set.
 */
export function createLogging(options: LoggingOptions): Logging {
  const { settings, appName } = options;
  const transports: TransportStream[] = [];
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  if (settings.consolelevel === 'none') {
    transports.push(new winston.transports.Stream({ stream: stderr, level: 'warn' }));
  } else if (sameDestination(stdout, stderr)) {
    // Both outputs end in the same place (a terminal, `2>&1`, `>run.log 2>run.log`): one stream
    // writes every console line, WARN and above included, so that each appears once, in order,
    // and two descriptors of one file (each with its own offset) do not write over each other.
    const level = LEVELS[settings.consolelevel] > LEVELS.warn ? settings.consolelevel : 'warn';
    transports.push(new winston.transports.Stream({ stream: stdout, level }));
  } else {
    transports.push(new winston.transports.Stream({ stream: stderr, level: 'warn' }));
    transports.push(new winston.transports.Stream({ stream: stdout, level: settings.consolelevel }));
  }
  let file: RotatingFileTransport | undefined;
  if (settings.logfilename !== '' && settings.filelevel !== 'none') {
    file = new RotatingFileTransport({
      filename: settings.logfilename,
      level: settings.filelevel,
      maxBytes: settings.filesize * 1024,
      backups: settings.filenum,
    });
    transports.push(file);
  }
  let email: EmailTransport | undefined;
  if (settings.emailhost !== '' && settings.emailaddress !== '') {
    email = new EmailTransport({
      appName,
      host: settings.emailhost,
      port: settings.emailport,
      to: settings.emailaddress,
      from: settings.emailfrom,
      user: settings.emailuser,
      password: settings.emailpassword,
      secure: settings.emailsecure,
      onError: (message) => stderr.write(`${new Date().toISOString()} ${appName}.logging ERROR: ${message}\n`),
    });
    transports.push(email);
  }

  // The most verbose level any output wants: below it, no record is even built.
  const maxLevel = Math.max(...transports.map((t) => LEVELS[(t.level ?? 'debug') as Level]));
  const root = winston.createLogger({
    levels: LEVELS,
    level: (Object.keys(LEVELS) as Level[])[maxLevel],
    format: combine(timestamp({ format: 'YYYY-MM-DD HH:mm:ss.SSS' }), line),
    transports,
    exitOnError: false,
  });

  const enabled = (level: Level) => LEVELS[level] <= maxLevel;
  const writerFor = (name: string) => {
    const w = root.child({ name });
    return (level: Level, message: string) => {
      if (enabled(level)) w.log(level, message);
    };
  };

  let closed: Promise<void> | undefined;
  return {
    logger: (name) => namedLogger(name ? `${appName}.${name}` : appName, writerFor, enabled),
    close: () => {
      closed ??= (async () => {
        await email?.flush();
        root.close();
        file?.close();
      })();
      return closed;
    },
  };
}
