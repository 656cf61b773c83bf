import type { Level, Logger, Logging } from '@mg/app-properties';

/** Logging that writes nothing and keeps every record as `LEVEL name: message`, for assertions. */
export interface MemoryLogging extends Logging {
  readonly records: string[];
}

export function memoryLogging(appName = 'test'): MemoryLogging {
  const records: string[] = [];
  const make = (name: string): Logger => {
    const at = (level: Level) => (message: string) => void records.push(`${level.toUpperCase()} ${name}: ${message}`);
    return {
      name,
      critical: at('critical'),
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      isLevelEnabled: () => true,
      child: (child) => make(`${name}.${child}`),
    };
  };
  return { records, logger: (name) => make(name ? `${appName}.${name}` : appName), close: async () => undefined };
}
