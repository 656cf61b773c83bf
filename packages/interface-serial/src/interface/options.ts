import { address, choice, int, number, string, type OptionSchema } from '@mg/core/options';
import { errorMessage } from '@mg/errors';
import { DEVICE_ID } from './device-description.js';
import { locateProfile } from './profile-source.js';
import { loadProfileFile } from '../profile/load.js';

/**
 * An option built with the core's helpers, with one more check on its value. The check runs
 * wherever the section is validated, `--check` included, so a bad value is reported with the
 * file, line and option like any other. The metadata (description, default) is carried over.
 */
function checked<T>(base: OptionSchema<T>, check: (value: T) => string | undefined): OptionSchema<T> {
  const meta = base.meta();
  return base
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ ...meta });
}

function deviceIdProblem(value: string): string | undefined {
  if (value === '' || DEVICE_ID.test(value)) return undefined;
  return 'must be lowercase letters, digits and hyphens, not starting with a hyphen, at most 64 (it is a topic level in Home Assistant and Homie)';
}

/**
 * `profileDirs` are where relative profile files are found (see profileDirs()). Without them
 * (a gateway built from a configuration object) only shipped names and absolute paths are
 * checked here; the constructor loads every kind anyway.
 */
function profileProblem(value: string, profileDirs: readonly string[]): string | undefined {
  if (value === '') return undefined;
  try {
    const path = locateProfile(value, profileDirs);
    if (path !== undefined) loadProfileFile(path);
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * The `[INTERFACE]` options of serial2mqtt. `profileDirs`: where a relative `profile` is looked
 * for while the options are validated (the launcher gives the configuration file's directory,
 * so that `--check` loads the profile too).
 */
export function serialOptions(profileDirs: readonly string[] = []) {
  return {
    port: address(
      '',
      'The device: a serial device path (/dev/ttyUSB0, /dev/serial/by-id/..., COM3), or tcp://host:port (host:port for short) for a network control port or a serial-to-TCP adapter.',
      { required: 'give the device, e.g. "port: /dev/ttyUSB0" or "port: tcp://192.168.1.20:23"' },
    ),
    baudrate: int(9600, 'Serial ports only: bits per second.', { min: 1 }),
    databits: choice(['8', '7', '6', '5'], '8', 'Serial ports only: data bits, 5 to 8.'),
    parity: choice(['none', 'even', 'odd', 'mark', 'space'], 'none', 'Serial ports only: parity.'),
    stopbits: choice(['1', '1.5', '2'], '1', 'Serial ports only: stop bits.'),
    profile: checked(
      string(
        '',
        'How the device talks: the name of a shipped profile (denon-avr) or a JSON profile file; relative paths are looked up next to this file, then in the working directory.',
        {
          required: 'name a shipped profile or a profile file, e.g. "profile: denon-avr"',
        },
      ),
      (value) => profileProblem(value, profileDirs),
    ),
    function: string(
      '',
      'Function of the messages of this device (AudioVideo): statuses carry it, and commands for another function are ignored; empty for any.',
    ),
    location: string('', 'Location of the device (LivingRoom), in statuses and to select commands the same way; empty for any.'),
    device: string('', 'Name of the device (Receiver), in statuses and to select commands the same way; empty for any.'),
    deviceid: checked(
      string(
        '',
        "The id of the device the profile's capabilities describe, for Home Assistant discovery and Homie: [a-z0-9-], stable (their unique ids come from it); empty for one made from the profile name (denon-avr). Give each gateway its own when several use the same profile.",
      ),
      deviceIdProblem,
    ),
    devicename: string(
      '',
      'What people call the device ("Living room receiver"), shown by Home Assistant and Homie; empty for the device option, else the profile name.',
    ),
    replytimeout: number(1, 'Seconds the device has to confirm a command before the reply is ERROR.', { min: 0.001, max: 3600 }),
    reconnectmin: number(1, 'Seconds before the first attempt to reach the device again after it went away; the delay doubles after each failed attempt.', {
      min: 0.01,
    }),
    reconnectmax: number(30, 'Longest delay in seconds between two attempts to reach the device.', { min: 0.01 }),
  } satisfies Record<string, OptionSchema<unknown>>;
}

export type SerialOptions = ReturnType<typeof serialOptions>;
