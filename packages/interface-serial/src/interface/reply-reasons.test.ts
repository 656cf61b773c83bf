import { DeviceNotConnectedError, DeviceStoppedError, DeviceWriteError, RequestTimeoutError, WriteQueueFullError } from '@mg/device-io';
import { failureReason } from './reply-reasons.js';

describe('failureReason: what an ERROR reply says', () => {
  it.each([
    [new RequestTimeoutError('no answer from tcp://x:23 to "MV45" within 1000 ms'), 'the device did not confirm within 1 s', 'timeout'],
    [
      new DeviceNotConnectedError('connection to tcp://x:23 lost before the write or answer: closed'),
      'the connection to the device was lost before it confirmed',
      'not-connected',
    ],
    [new DeviceStoppedError('tcp://x:23 was stopped before the write or answer'), 'the gateway is stopping; the command was not confirmed', 'stopped'],
    [
      new WriteQueueFullError('write queue for tcp://x:23 is full (100 writes waiting, 50 ms apart): raise maxQueuedWrites'),
      'the device is busy with other commands; try again later',
      'failed',
    ],
  ])('%s -> %j, with no detail meant for developers', (err, reason, kind) => {
    expect(failureReason(err, 1)).toEqual({ kind, reason });
  });

  it('keeps the detail of an unexpected failure for the log, not for the sender', () => {
    expect(failureReason(new DeviceWriteError('cannot write to /dev/ttyUSB0: EIO'), 1)).toEqual({
      kind: 'failed',
      reason: 'the command could not be written to the device',
      log: 'cannot write to /dev/ttyUSB0: EIO',
    });
    expect(failureReason(new Error('boom'), 1)).toEqual({ kind: 'failed', reason: 'the command failed in the gateway', log: 'boom' });
  });
});
