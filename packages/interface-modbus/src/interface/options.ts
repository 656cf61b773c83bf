import { address, choice, int, list, number, string, type OptionSchema } from '@mg/core/options';
import { errorMessage } from '@mg/errors';
import { parseBusAddress } from '../bus/address.js';
import { loadUnitProfiles } from './unit-profiles.js';
import { parseUnitList } from './unit-list.js';

/**
 * An option built with the core's helpers, with one more check on its value. The check runs
 * wherever the section is validated, `--check` included, so a bad value is reported with the
 * file, line and option like any other.
 */
function checked<T>(base: OptionSchema<T>, check: (value: T) => string | undefined, required?: string): OptionSchema<T> {
  const meta = { ...base.meta(), ...(required === undefined ? {} : { required }) };
  return base
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta(meta);
}

function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/** `interframe`: empty (the 3.5-character time at the line's speed) or milliseconds. */
function interFrameProblem(value: string): string | undefined {
  if (value === '' || (/^\d+(\.\d+)?$/.test(value) && Number(value) <= 1000)) return undefined;
  return 'expected a number of milliseconds from 0 to 1000, or empty for 3.5 characters at the baud rate';
}

/**
 * The `[INTERFACE]` options of modbus2mqtt. `baseDir`: where relative profile files are (the
 * configuration file's directory, which the launcher knows); without it only shipped profiles
 * and absolute paths are loaded while the options are validated (the constructor loads all).
 */
export function modbusOptions(baseDir?: string) {
  return {
    // @mg's address option (tcp://host:port, host:port, rtu+tcp://host:port, a serial path),
    // checked here once more as the bus reads it.
    address: checked(
      address(
        '',
        'The bus: tcp://host:port (Modbus TCP, usually port 502), rtu+tcp://host:port (RTU frames through a TCP serial server) or a serial device path (/dev/ttyUSB0, better /dev/serial/by-id/...) for RTU on RS-485.',
        {
          schemes: ['tcp', 'rtu+tcp'],
          required: 'give the bus, e.g. "address: tcp://192.168.1.30:502" or "address: /dev/ttyUSB0"',
        },
      ),
      (value) => (value === '' ? undefined : problemOf(() => parseBusAddress(value))),
    ),
    devices: checked(
      list(
        [],
        'The units on the bus, comma-separated, each name:unit:profile: its device id (lowercase, digits, hyphens; a topic level), its Modbus unit id, and a shipped profile (eastron-sdm630) or a JSON profile file (relative to this file).',
      ),
      (entries) => problemOf(() => loadUnitProfiles(parseUnitList(entries), baseDir, { strict: false })),
      // list() has no "required": the check refuses an empty list, the metadata says so for the docs.
      'give the units, e.g. "devices: meter:1:eastron-sdm630"',
    ),
    baudrate: int(9600, 'Serial lines only: bits per second.', { min: 300, max: 1_000_000 }),
    parity: choice(
      ['none', 'even', 'odd', 'mark', 'space'],
      'none',
      'Serial lines only: parity (the Modbus specification says even; most meters and boards ship set to none).',
    ),
    databits: choice(['8', '7'], '8', 'Serial lines only: data bits (RTU uses 8).'),
    stopbits: choice(['1', '2'], '1', 'Serial lines only: stop bits.'),
    interframe: checked(
      string('', 'Milliseconds of silence kept between two frames on an RTU line; empty for 3.5 characters at the baud rate (1.75 ms above 19200 baud).'),
      interFrameProblem,
    ),
    timeout: int(1000, 'Milliseconds a unit has to answer a request.', { min: 10, max: 60_000 }),
    retries: int(1, 'Times a request is sent again when no answer (or a garbled one) came; not after a Modbus exception.', { min: 0, max: 10 }),
    maxgap: int(8, 'Unused registers (or bits) a read may span to join two neighbouring points in one request; 0 reads only adjacent ones.', {
      min: 0,
      max: 100,
    }),
    function: string(
      '',
      'Function of the messages of these devices (Energy): statuses carry it, and commands for another function are ignored; empty for any.',
    ),
    location: string('', 'Location of the devices (Basement), in statuses and to select commands the same way; empty for any.'),
    reconnectmin: number(
      1,
      'Seconds before the first attempt to reach the bus again after the connection was lost; the delay doubles after each failed attempt.',
      {
        min: 0.01,
      },
    ),
    reconnectmax: number(30, 'Longest delay in seconds between two attempts to reach the bus.', { min: 0.01 }),
  } satisfies Record<string, OptionSchema<unknown>>;
}

export type ModbusOptions = ReturnType<typeof modbusOptions>;
