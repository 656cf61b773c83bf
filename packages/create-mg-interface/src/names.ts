/** The names a new interface gets from the one the user types (`intercom`, `knx-ip`). */
export interface Names {
  /** `intercom` */
  name: string;
  /** `IntercomInterface` */
  className: string;
  /** `intercom2mqtt`: the application, launcher bin, configuration and log file names. */
  app: string;
  /** `intercom-interface` (the module file) */
  module: string;
}

export class NameError extends Error {}

const VALID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function namesFor(raw: string): Names {
  const name = raw.trim();
  if (!VALID.test(name)) {
    throw new NameError(
      `"${raw}" is not a valid interface name: use lower-case letters, digits and single dashes, starting with a letter (for example "intercom" or "knx-ip")`,
    );
  }
  const pascal = name
    .split('-')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
  return { name, className: `${pascal}Interface`, app: `${name}2mqtt`, module: `${name}-interface` };
}
