/**
 * The names a point gets when the profile gives none, shared by the checks (which read the raw
 * profile) and the compiler, so that both see the same actions.
 */

/** voltage-l1 -> VOLTAGE_L1. */
export const defaultAction = (id: string): string => id.toUpperCase().replace(/-/g, '_');

/** voltage-l1 -> "Voltage L1". */
export const defaultName = (id: string): string =>
  id
    .split('-')
    .filter((w) => w !== '')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');

export const DEFAULT_ARGUMENT = 'value';

/** The commands a writable point takes: `<ACTION>_SET` (or its own), and for a bool `<ACTION>_ON` / `_OFF`. */
export function commandActions(action: string, writeAction: string | undefined, isBool: boolean): { set: string; on?: string; off?: string } {
  const set = writeAction ?? `${action}_SET`;
  return isBool ? { set, on: `${action}_ON`, off: `${action}_OFF` } : { set };
}
