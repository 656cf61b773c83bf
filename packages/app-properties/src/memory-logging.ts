import type { Logging } from './logging.js';
import { namedLogger, type Level } from './logger.js';

/** Logging that writes nothing and keeps every record as `LEVEL name: message`, for assertions. */
export interface MemoryLogging extends Logging {
  readonly records: string[];
}

export function memoryLogging(appName = 'test'): MemoryLogging {
  const records: string[] = [];
  const writerFor = (name: string) => (level: Level, message: string) => void records.push(`${level.toUpperCase()} ${name}: ${message}`);
  return {
    records,
    logger: (name) => namedLogger(name ? `${appName}.${name}` : appName, writerFor, () => true),
    close: async () => undefined,
  };
}
