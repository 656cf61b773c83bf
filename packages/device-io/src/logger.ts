/**
 * The logger the transport asks for: any of these methods, all optional, so `console`, an
 * @mg/app-properties logger or `{ warn: myWarn }` all fit.
 */
export interface DeviceLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

/** The same with every method present, for internal use. */
export interface FullLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function fullLogger(logger: DeviceLogger | undefined): FullLogger {
  const nothing = (): void => undefined;
  // Bound, so that methods relying on `this` (winston, class-based loggers) keep working.
  const pick = (m: ((message: string) => void) | undefined) => (m ? m.bind(logger) : nothing);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- pick() binds each one to the logger
  return { debug: pick(logger?.debug), info: pick(logger?.info), warn: pick(logger?.warn), error: pick(logger?.error) };
}

/** A command or line as it can be shown in a log line: control characters escaped, cut short. */
export function printable(text: string, max = 60): string {
  const escaped = JSON.stringify(text.length > max ? text.slice(0, max) : text).slice(1, -1);
  return text.length > max ? `${escaped}...` : escaped;
}

/** A duration as a reply says it: `250 ms`, `2 s`, `1.5 s`. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
