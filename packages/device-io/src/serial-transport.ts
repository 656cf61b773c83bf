import type { Channel, ChannelOpener } from './channel.js';
import { DeviceConnectionError, DeviceOptionError, DeviceWriteError, messageOf, SerialportUnavailableError } from './errors.js';
import { watchPresence } from './presence-watch.js';

/** Serial line settings. */
export interface SerialOptions {
  /** Default 9600. */
  baudRate?: number;
  /** Default 8. */
  dataBits?: 5 | 6 | 7 | 8;
  /** Default 'none'. */
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  /** Default 1. */
  stopBits?: 1 | 1.5 | 2;
  /**
   * How often to check that the device path still names the device that was opened, ms; 0
   * turns it off. serialport misses some unplugs (see presence-watch.ts). Default 500.
   */
  presenceCheckMs?: number;
}

const DEFAULT_BAUD_RATE = 9600;
const DEFAULT_PRESENCE_CHECK_MS = 500;

/**
 * The part of serialport's SerialPort class used here, written out so that the published types
 * never refer to `serialport`, an optional peer that may not be installed.
 */
interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean;
  close(callback: (err: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'close', listener: (err: Error | null) => void): this;
}
export type SerialPortClass = new (options: {
  path: string;
  baudRate: number;
  dataBits: number;
  parity: string;
  stopBits: number;
  autoOpen: false;
}) => SerialPortLike;

/**
 * Loads `serialport` when a serial port is asked for, so that TCP-only users need not install
 * it (nor its native part). The module id is a parameter for the test of the missing case.
 */
export function loadSerialport(moduleId = 'serialport'): SerialPortClass {
  let mod: { SerialPort?: SerialPortClass };
  try {
    mod = require(moduleId) as { SerialPort?: SerialPortClass };
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && messageOf(cause).includes(`'${moduleId}'`);
    if (missing) {
      throw new SerialportUnavailableError(
        'DEVICE_IO_SERIALPORT_MISSING',
        `a serial device needs the "${moduleId}" package, which is not installed: run \`npm install ${moduleId}@13\` ` +
          'in the gateway (it is an optional peer dependency of @mg/device-io), or use a tcp://host:port address',
        { cause },
      );
    }
    throw new SerialportUnavailableError(
      'DEVICE_IO_SERIALPORT_BROKEN',
      `the "${moduleId}" package is installed but does not load (${messageOf(cause)}): reinstall it on this machine ` +
        `(\`npm rebuild ${moduleId}\`) so that its native part matches this system and Node version`,
      { cause },
    );
  }
  if (typeof mod.SerialPort !== 'function') {
    throw new SerialportUnavailableError('DEVICE_IO_SERIALPORT_BROKEN', `the "${moduleId}" package has no SerialPort class: install serialport@13`);
  }
  return mod.SerialPort;
}

/** Opens the serial device at `path` with the given line settings. */
export function serialOpener(path: string, options: SerialOptions, SerialPort: SerialPortClass): ChannelOpener {
  const settings = {
    path,
    baudRate: options.baudRate ?? DEFAULT_BAUD_RATE,
    dataBits: options.dataBits ?? 8,
    parity: options.parity ?? 'none',
    stopBits: options.stopBits ?? 1,
    autoOpen: false as const,
  };
  if (!Number.isInteger(settings.baudRate) || settings.baudRate <= 0) {
    throw new DeviceOptionError(`serial.baudRate must be a positive whole number, got ${String(options.baudRate)}`);
  }
  if (![5, 6, 7, 8].includes(settings.dataBits)) throw new DeviceOptionError(`serial.dataBits must be 5, 6, 7 or 8, got ${String(settings.dataBits)}`);
  if (!['none', 'even', 'odd', 'mark', 'space'].includes(settings.parity)) {
    throw new DeviceOptionError(`serial.parity must be none, even, odd, mark or space, got ${String(settings.parity)}`);
  }
  if (![1, 1.5, 2].includes(settings.stopBits)) throw new DeviceOptionError(`serial.stopBits must be 1, 1.5 or 2, got ${String(settings.stopBits)}`);
  const presenceCheckMs = options.presenceCheckMs ?? DEFAULT_PRESENCE_CHECK_MS;
  if (!Number.isFinite(presenceCheckMs) || presenceCheckMs < 0) {
    throw new DeviceOptionError(`serial.presenceCheckMs must be a number of milliseconds >= 0, got ${String(options.presenceCheckMs)}`);
  }

  return (handlers, signal) =>
    new Promise<Channel>((resolve, reject) => {
      let port: SerialPortLike;
      try {
        port = new SerialPort(settings);
      } catch (cause) {
        return reject(describeSerialFailure(path, cause));
      }
      // Ended: closed by us or lost, so that 'lost' is reported once at most, and only for a
      // channel already handed over (before that, the open is rejected instead).
      let ended = false;
      let handedOver = false;
      let lostBeforeHandover: DeviceConnectionError | undefined;
      let stopWatch: () => void = () => undefined;
      const lose = (reason: DeviceConnectionError) => {
        if (ended) return;
        ended = true;
        stopWatch();
        if (handedOver) handlers.lost(reason);
        else lostBeforeHandover = reason;
      };
      // An 'error' is reported through 'close' or a rejected write; this listener keeps it
      // from becoming an unhandled 'error' event.
      port.on('error', () => undefined);
      port.on('data', (chunk) => handlers.data(chunk));
      port.on('close', (err) => lose(err ? describeSerialFailure(path, err) : new DeviceConnectionError(`serial device ${path} closed`, 'closed')));
      const close = () =>
        new Promise<void>((done) => {
          ended = true;
          stopWatch();
          if (!port.isOpen) return done();
          // A close that fails leaves nothing to do but forget the port.
          port.close(() => done());
        });
      const channel: Channel = {
        write: (bytes) =>
          new Promise<void>((done, fail) => {
            port.write(bytes, (err) => (err ? fail(new DeviceWriteError(`cannot write to ${path}: ${err.message}`, { cause: err })) : done()));
          }),
        close,
      };
      const vanished = (code: string) => {
        lose(new DeviceConnectionError(`serial device ${path} ${code === 'replaced' ? 'was replaced by another' : 'disappeared'} (unplugged?)`, code));
        // Closing also ends serialport's read loop if it spins on a hung-up device.
        void close();
      };
      port.open((err) => {
        if (err) return reject(describeSerialFailure(path, err));
        void watchPresence(path, presenceCheckMs, vanished).then((stop) => {
          stopWatch = stop;
          // Stopped while opening, or already lost: an open port must not be left behind.
          if (signal.aborted || ended) {
            void close();
            return reject(lostBeforeHandover ?? new DeviceConnectionError(`serial device ${path} closed while opening`, 'closed'));
          }
          handedOver = true;
          resolve(channel);
        });
      });
    });
}

/** serialport's errors carry no code: the reason is read from the message. */
function describeSerialFailure(path: string, err: unknown): DeviceConnectionError {
  const text = messageOf(err);
  const cause = err;
  if (/no such file|ENOENT/i.test(text)) return new DeviceConnectionError(`serial device ${path} not found (unplugged, or a wrong path?)`, 'ENOENT', { cause });
  if (/permission denied|EACCES/i.test(text)) {
    return new DeviceConnectionError(`permission denied on ${path}: add the gateway's user to the group that owns it (often dialout)`, 'EACCES', { cause });
  }
  if (/lock|busy|EBUSY/i.test(text)) return new DeviceConnectionError(`serial device ${path} is in use by another program`, 'EBUSY', { cause });
  if ((err as { disconnected?: boolean } | undefined)?.disconnected) {
    return new DeviceConnectionError(`serial device ${path} disconnected (${text})`, 'disconnected', { cause });
  }
  return new DeviceConnectionError(`serial device ${path} failed: ${text}`, 'error', { cause });
}
