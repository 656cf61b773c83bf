/** The Modbus exception codes a device answers with, by the names the specification gives them. */
const NAMES: Readonly<Record<number, string>> = {
  1: 'ILLEGAL FUNCTION',
  2: 'ILLEGAL DATA ADDRESS',
  3: 'ILLEGAL DATA VALUE',
  4: 'SLAVE DEVICE FAILURE',
  5: 'ACKNOWLEDGE',
  6: 'SLAVE DEVICE BUSY',
  8: 'MEMORY PARITY ERROR',
  10: 'GATEWAY PATH UNAVAILABLE',
  11: 'GATEWAY TARGET DEVICE FAILED TO RESPOND',
};

/** What each exception means for the person who sent a command, in a few words. */
const HINTS: Readonly<Record<number, string>> = {
  1: 'the device does not support this request',
  2: 'the device has no such register',
  3: 'the device refused the value',
  4: 'the device reported an internal failure',
  5: 'the device accepted the request but has not finished it',
  6: 'the device is busy; try again later',
  10: 'the Modbus gateway has no path to the device',
  11: 'the Modbus gateway got no answer from the device',
};

export const ILLEGAL_DATA_ADDRESS = 2;

/** `ILLEGAL DATA VALUE` for 3; `EXCEPTION 9` for a code the specification does not name. */
export function exceptionName(code: number): string {
  return NAMES[code] ?? `EXCEPTION ${code}`;
}

/** `ILLEGAL DATA VALUE (the device refused the value)`: the name, and what it means when known. */
export function describeException(code: number): string {
  const hint = HINTS[code];
  return hint === undefined ? exceptionName(code) : `${exceptionName(code)} (${hint})`;
}
