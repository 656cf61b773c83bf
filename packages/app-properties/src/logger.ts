/** Levels in order of severity; `none` turns an output off. */
export const LEVELS = { critical: 0, error: 1, warn: 2, info: 3, debug: 4 } as const;
export type Level = keyof typeof LEVELS;

/** The smallest logger a leaf component can ask for. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

/** A named logger that shares the application's outputs. */
export interface Logger extends LogSink {
  readonly name: string;
  critical(message: string): void;
  /**
   * Whether a record at `level` would go anywhere. Check it before building an expensive
   * message on a hot path: `if (log.isLevelEnabled('debug')) log.debug(describe(msg))`.
   */
  isLevelEnabled(level: Level): boolean;
  /** A logger named `<this name>.<name>` on the same outputs. */
  child(name: string): Logger;
}

/**
 * A logger named `name` whose records go to the writer `writerFor(name)` gives; its children
 * get theirs the same way. The one place a Logger is built (files and consoles, memory, silence).
 */
export function namedLogger(
  name: string,
  writerFor: (name: string) => (level: Level, message: string) => void,
  isLevelEnabled: (level: Level) => boolean,
): Logger {
  const write = writerFor(name);
  const at = (level: Level) => (message: string) => write(level, message);
  return {
    name,
    critical: at('critical'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    isLevelEnabled,
    child: (child) => namedLogger(`${name}.${child}`, writerFor, isLevelEnabled),
  };
}

/** A logger that drops everything (for tests and for components used without logging). */
export function silentLogger(name = 'silent'): Logger {
  return namedLogger(
    name,
    () => () => undefined,
    () => false,
  );
}
