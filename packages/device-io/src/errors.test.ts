import { MgError } from '@mg/errors';
import { DeviceIoError, isDeviceIoError, messageOf, RequestTimeoutError, WriteQueueFullError } from './errors.js';

describe('device-io errors', () => {
  it('are MgErrors with a fixed code per class and the cause kept', () => {
    const cause = new Error('ECONNRESET');
    const err = new RequestTimeoutError('no answer from amp to "MV?" within 1000 ms', { cause });
    expect(err).toBeInstanceOf(DeviceIoError);
    expect(err).toBeInstanceOf(MgError);
    expect([err.name, err.code, err.cause]).toEqual(['RequestTimeoutError', 'DEVICE_IO_TIMEOUT', cause]);
    expect(new WriteQueueFullError('full').code).toBe('DEVICE_IO_QUEUE_FULL');
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
