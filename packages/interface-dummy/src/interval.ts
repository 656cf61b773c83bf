import { InterfaceConfigError } from '@mg/core';

export const DEFAULT_INTERVAL_S = 30;

/** `[INTERFACE] interval`: seconds between two MUTE_ON commands (default 30). */
export function parseInterval(text: string | undefined, configFile: string): number {
  if (text === undefined || text.trim() === '') return DEFAULT_INTERVAL_S;
  const seconds = Number(text.trim());
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InterfaceConfigError('INTERFACE_OPTION_INVALID', `[INTERFACE] interval = "${text}" in ${configFile}: expected a number of seconds > 0`);
  }
  return seconds;
}
