/** Why a command sent to the device failed, worded for the MQTT sender; `log` is set when an operator should hear of it too. */
export interface FailureReason {
  kind: 'timeout' | 'not-connected' | 'stopped' | 'failed';
  reason: string;
  log?: string;
}

/**
 * Turns what `LineTransport.request()` rejected with into the reason of an ERROR reply. The
 * transport's own messages are written for developers (they name options and events); a
 * sender wants to know what happened to the command.
 */
export function failureReason(err: unknown, replyTimeoutS: number): FailureReason {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  switch (code) {
    case 'DEVICE_IO_TIMEOUT':
      return { kind: 'timeout', reason: `the device did not confirm within ${replyTimeoutS} s` };
    case 'DEVICE_IO_NOT_CONNECTED':
      return { kind: 'not-connected', reason: 'the connection to the device was lost before it confirmed' };
    case 'DEVICE_IO_STOPPED':
      return { kind: 'stopped', reason: 'the gateway is stopping; the command was not confirmed' };
    case 'DEVICE_IO_QUEUE_FULL':
      return { kind: 'failed', reason: 'the device is busy with other commands; try again later' };
    case 'DEVICE_IO_WRITE_FAILED':
      return { kind: 'failed', reason: 'the command could not be written to the device', log: describe(err) };
    default:
      return { kind: 'failed', reason: 'the command failed in the gateway', log: describe(err) };
  }
}

function describe(err: unknown): string {
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
}
