import { MgError } from '@mg/errors';
import {
  DeviceConnectionError,
  DeviceIoError,
  DeviceNotConnectedError,
  DeviceOptionError,
  DeviceStoppedError,
  isDeviceIoError,
  ListenerError,
  messageOf,
  RequestMatchError,
  RequestTimeoutError,
  SerialportUnavailableError,
  WriteQueueFullError,
} from './errors.js';

describe('device-io errors', () => {
  it('are MgErrors with a fixed code per class and the cause kept', () => {
    const cause = new Error('ECONNRESET');
    const err = new RequestTimeoutError('no answer from amp to "MV?" within 1000 ms', { cause });
    expect(err).toBeInstanceOf(DeviceIoError);
    expect(err).toBeInstanceOf(MgError);
    expect([err.name, err.code, err.cause]).toEqual(['RequestTimeoutError', 'DEVICE_IO_TIMEOUT', cause]);
    expect(new WriteQueueFullError('full').code).toBe('DEVICE_IO_QUEUE_FULL');
  });

  it('carry a short reason for a reply, the message staying the detail for the log', () => {
    const advice = 'cannot send "PW?" to amp: not connected; commands are not kept for later, send them on the \'connected\' state';
    const err = new DeviceNotConnectedError(advice);
    expect([err.reason, err.message]).toEqual(['the device is not connected', advice]);
    expect(new RequestTimeoutError('no answer from amp to "MV?" within 2000 ms', { reason: 'no answer from the device within 2 s' }).reason).toBe(
      'no answer from the device within 2 s',
    );
    // A connection error's reason stays the short code a connection status shows.
    expect(new DeviceConnectionError('connection to tcp://x:23 refused: nothing listens there', 'ECONNREFUSED').reason).toBe('ECONNREFUSED');
  });

  it('have a default reason per code, worded for the sender: no option names, events or advice for developers', () => {
    const reasons = [
      new DeviceOptionError('spacingMs must be >= 0'),
      new SerialportUnavailableError('DEVICE_IO_SERIALPORT_MISSING', 'npm install serialport@13'),
      new DeviceNotConnectedError('x'),
      new DeviceStoppedError('x'),
      new WriteQueueFullError('raise maxQueuedWrites'),
      new RequestTimeoutError('x'),
      new RequestMatchError('x'),
      new ListenerError('x'),
    ].map((e) => e.reason);
    expect(reasons).toEqual([
      'the gateway has a device setting that cannot work',
      'the gateway cannot use serial ports (serialport is not installed)',
      'the device is not connected',
      'the gateway has closed the connection to the device',
      'too many commands are waiting for the device; try again later',
      'no answer from the device in time',
      "the gateway could not read the device's answer",
      'the gateway failed while handling the device',
    ]);
    for (const reason of reasons) expect(reason).not.toMatch(/Ms\b|maxQueued|'connected'|npm|send them/);
  });

  it('isDeviceIoError checks the class and optionally the code', () => {
    const err = new RequestTimeoutError('late');
    expect(isDeviceIoError(err)).toBe(true);
    expect(isDeviceIoError(err, 'DEVICE_IO_TIMEOUT')).toBe(true);
    expect(isDeviceIoError(err, 'DEVICE_IO_QUEUE_FULL')).toBe(false);
    expect(isDeviceIoError(new MgError('X', 'other'))).toBe(false);
  });

  it('messageOf reads an error from another realm, which instanceof misses', () => {
    const foreign = Object.create(null) as { message: string };
    foreign.message = 'No such file or directory, cannot open /dev/ttyUSB0';
    expect(messageOf(foreign)).toBe('No such file or directory, cannot open /dev/ttyUSB0');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
