import { MgError, type MgErrorOptions } from '@mg/errors';

/** Every code an error of @mg/interface-modbus has: its one catalog. */
export type ModbusErrorCode =
  // A register profile that cannot be used (ModbusProfileError).
  | 'MODBUS_PROFILE_INVALID'
  | 'MODBUS_PROFILE_NOT_FOUND'
  | 'MODBUS_PROFILE_UNREADABLE'
  | 'MODBUS_PROFILE_NOT_JSON'
  // [INTERFACE] values that cannot work together (a unit listed twice, an unknown profile).
  | 'MODBUS_CONFIG'
  // A value refused before anything is sent (out of range, off the step, not in the enum).
  | 'MODBUS_BAD_VALUE'
  // The device answered with a Modbus exception (ILLEGAL DATA ADDRESS, SLAVE DEVICE BUSY, ...).
  | 'MODBUS_EXCEPTION'
  // No answer within the timeout, after the retries.
  | 'MODBUS_TIMEOUT'
  // The bus is not connected (TCP refused, serial port missing), or was lost during the request.
  | 'MODBUS_NOT_CONNECTED'
  // An answer that is not what was asked for (wrong length, wrong unit, a CRC error).
  | 'MODBUS_BAD_ANSWER'
  // The interface stopped while the request waited.
  | 'MODBUS_STOPPED';

/** One problem found in a profile: where (a JSON path such as `registers[3].type`) and what. */
export interface ModbusProfileIssue {
  path: string;
  message: string;
}

/** The base of every error this package throws or rejects with; `code` says which. */
export class ModbusError extends MgError {
  declare readonly code: ModbusErrorCode;

  constructor(code: ModbusErrorCode, message: string, options?: MgErrorOptions) {
    super(code, message, options);
  }
}

/**
 * A profile that cannot be used. `MODBUS_PROFILE_INVALID` lists every problem, one line each, with
 * its file and JSON path (also in `issues`, for `--check`); the other codes say why the file could
 * not be read.
 */
export class ModbusProfileError extends ModbusError {
  declare readonly code: 'MODBUS_PROFILE_INVALID' | 'MODBUS_PROFILE_NOT_FOUND' | 'MODBUS_PROFILE_UNREADABLE' | 'MODBUS_PROFILE_NOT_JSON';
  readonly issues: readonly ModbusProfileIssue[];

  constructor(code: ModbusProfileError['code'], message: string, options: MgErrorOptions & { issues?: readonly ModbusProfileIssue[] } = {}) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}

/**
 * The device answered with a Modbus exception: `exception` is its code (2), `exceptionName` the
 * specification's name for it (`ILLEGAL DATA ADDRESS`), what a command's ERROR reply names.
 */
export class ModbusExceptionError extends ModbusError {
  declare readonly code: 'MODBUS_EXCEPTION';
  readonly exception: number;
  readonly exceptionName: string;

  constructor(exception: number, exceptionName: string, message: string, options?: MgErrorOptions) {
    super('MODBUS_EXCEPTION', message, options);
    this.exception = exception;
    this.exceptionName = exceptionName;
  }
}
