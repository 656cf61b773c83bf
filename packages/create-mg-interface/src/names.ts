/** The names a new interface gets from the one the user types (`pool`, `pool2mqtt`, `knx-ip`). */
export interface Names {
  /** `pool`: the interface's name (its map file, `@mg/interface-pool` in the workspace). */
  name: string;
  /** `PoolInterface` */
  className: string;
  /** `pool2mqtt`: the application, launcher bin, configuration, service and log file names. */
  app: string;
  /** `pool-interface` (the module file) */
  module: string;
  /** The user typed the application's name (`pool2mqtt`): `2mqtt` was taken off for the interface's. */
  fromApp: boolean;
}

export class NameError extends Error {}

const VALID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const APP_SUFFIX = '2mqtt';

/**
 * `pool` and `pool2mqtt` both give the interface `pool` and the application `pool2mqtt`: people
 * name a gateway after its application, and `pool2mqtt2mqtt` is never what they meant.
 */
export function namesFor(raw: string): Names {
  const typed = raw.trim();
  if (!VALID.test(typed)) {
    throw new NameError(
      `"${raw}" is not a valid interface name: use lower-case letters, digits and single dashes, starting with a letter (for example "pool", "pool2mqtt" or "knx-ip")`,
    );
  }
  let name = typed;
  while (name.endsWith(APP_SUFFIX)) name = name.slice(0, -APP_SUFFIX.length).replace(/-$/, '');
  const fromApp = name !== typed;
  if (!VALID.test(name)) {
    throw new NameError(
      `"${raw}" names no device: "${APP_SUFFIX}" is added to the interface's name, so give what comes before it (for example "pool2mqtt" or "pool")`,
    );
  }
  const pascal = name
    .split('-')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
  return { name, className: `${pascal}Interface`, app: `${name}${APP_SUFFIX}`, module: `${name}-interface`, fromApp };
}
