import { errorMessage, MgError, type MgErrorOptions } from '@mg/errors';

/** Every code a DeviceIoError can have; each subclass below fixes its own. */
export type DeviceIoErrorCode =
  | 'DEVICE_IO_BAD_OPTION'
  | 'DEVICE_IO_BAD_ADDRESS'
  | 'DEVICE_IO_SERIALPORT_MISSING'
  | 'DEVICE_IO_SERIALPORT_BROKEN'
  | 'DEVICE_IO_CONNECTION'
  | 'DEVICE_IO_NOT_CONNECTED'
  | 'DEVICE_IO_STOPPED'
  | 'DEVICE_IO_QUEUE_FULL'
  | 'DEVICE_IO_WRITE_FAILED'
  | 'DEVICE_IO_TIMEOUT'
  | 'DEVICE_IO_POLL_TIMEOUT'
  | 'DEVICE_IO_MATCH_FAILED'
  | 'DEVICE_IO_LISTENER_FAILED';

/** Options of every DeviceIoError. */
export interface DeviceIoErrorOptions extends MgErrorOptions {
  /** Short words for a reply to whoever sent the command (an MQTT sender); default: the code's own. */
  reason?: string;
}

// What a reply says when the place that made the error has nothing more precise: for the person
// who sent a command, so no option names or advice meant for the interface's author.
const REASONS: Record<DeviceIoErrorCode, string> = {
  DEVICE_IO_BAD_OPTION: 'the gateway has a device setting that cannot work',
  DEVICE_IO_BAD_ADDRESS: 'the device address in the gateway is not valid',
  DEVICE_IO_SERIALPORT_MISSING: 'the gateway cannot use serial ports (serialport is not installed)',
  DEVICE_IO_SERIALPORT_BROKEN: 'the gateway cannot use serial ports (serialport does not load)',
  DEVICE_IO_CONNECTION: 'the device cannot be reached',
  DEVICE_IO_NOT_CONNECTED: 'the device is not connected',
  DEVICE_IO_STOPPED: 'the gateway has closed the connection to the device',
  DEVICE_IO_QUEUE_FULL: 'too many commands are waiting for the device; try again later',
  DEVICE_IO_WRITE_FAILED: 'the command could not be written to the device',
  DEVICE_IO_TIMEOUT: 'no answer from the device in time',
  DEVICE_IO_POLL_TIMEOUT: 'the device did not answer in time',
  DEVICE_IO_MATCH_FAILED: "the gateway could not read the device's answer",
  DEVICE_IO_LISTENER_FAILED: 'the gateway failed while handling the device',
};

/**
 * The base of every error @mg/device-io throws, rejects with or reports. The `code` says which
 * one it is (`DEVICE_IO_TIMEOUT`, ...); the subclasses below fix it. `reason` is short and
 * worded for the sender of a command ("no answer from the device within 2 s"); `message` is the
 * detail for the log (the address, the command, the timings, what to change).
 */
export class DeviceIoError extends MgError {
  declare readonly code: DeviceIoErrorCode;
  readonly reason: string;

  constructor(code: DeviceIoErrorCode, message: string, options: DeviceIoErrorOptions = {}) {
    super(code, message, options);
    this.reason = options.reason ?? REASONS[code];
  }
}

/** True when `err` is a DeviceIoError (optionally with the given code). */
export function isDeviceIoError(err: unknown, code?: DeviceIoErrorCode): err is DeviceIoError {
  return err instanceof DeviceIoError && (code === undefined || err.code === code);
}

/** Options that cannot work (a negative spacing, an empty terminator). Thrown by constructors. */
export class DeviceOptionError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_BAD_OPTION', message, options);
  }
}

/** An address that is neither `tcp://host:port` nor a device path. Thrown by constructors. */
export class DeviceAddressError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_BAD_ADDRESS', message, options);
  }
}

/**
 * A serial port was asked for but the optional `serialport` package is missing
 * (`DEVICE_IO_SERIALPORT_MISSING`) or cannot load its native part (`DEVICE_IO_SERIALPORT_BROKEN`).
 */
export class SerialportUnavailableError extends DeviceIoError {
  constructor(code: 'DEVICE_IO_SERIALPORT_MISSING' | 'DEVICE_IO_SERIALPORT_BROKEN', message: string, options?: DeviceIoErrorOptions) {
    super(code, message, options);
  }
}

/**
 * Why the device could not be reached or was lost (refused, not found, closed by the device).
 * Never thrown: it is the `error` of a `disconnected` state change and of `retry` events. Its
 * `reason` is a short code, for a connection status (`ECONNREFUSED`, `ENOENT`, `closed`), as it
 * was before every DeviceIoError had one: no reply carries it (a command sent meanwhile fails
 * with a DeviceNotConnectedError, whose reason is "the device is not connected").
 */
export class DeviceConnectionError extends DeviceIoError {
  constructor(message: string, reason: string, options?: MgErrorOptions) {
    super('DEVICE_IO_CONNECTION', message, { ...options, reason });
  }
}

/** A write or request made while the device is not connected, or cut short by a disconnection. */
export class DeviceNotConnectedError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_NOT_CONNECTED', message, options);
  }
}

/** A write or request made after stop(), or still waiting when stop() was called. */
export class DeviceStoppedError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_STOPPED', message, options);
  }
}

/** The write queue is full: commands come faster than the spacing lets them out. */
export class WriteQueueFullError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_QUEUE_FULL', message, options);
  }
}

/** The bytes could not be handed to the socket or port (it failed while writing). */
export class DeviceWriteError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_WRITE_FAILED', message, options);
  }
}

/** No answer matched a request within its timeout. */
export class RequestTimeoutError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_TIMEOUT', message, options);
  }
}

/**
 * A scheduled poll did not end within the scheduler's `timeoutMs`: the reason its signal was
 * aborted with, and the `error` of its 'poll' event. The bus went on to its next poll.
 */
export class PollTimeoutError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_POLL_TIMEOUT', message, options);
  }
}

/** A request's match function threw on a line: the request is rejected with this, `cause` the throw. */
export class RequestMatchError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_MATCH_FAILED', message, options);
  }
}

/** A listener of the transport (or a request's match function) threw; the transport went on. */
export class ListenerError extends DeviceIoError {
  constructor(message: string, options?: DeviceIoErrorOptions) {
    super('DEVICE_IO_LISTENER_FAILED', message, options);
  }
}

/**
 * The message of anything thrown. Unlike an `instanceof Error` test, this also reads errors made
 * in another realm, as the native part of serialport makes them when run under jest's sandbox.
 */
export function messageOf(err: unknown): string {
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : errorMessage(err);
}
