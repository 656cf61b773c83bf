/** Why a command sent to the device failed, worded for the MQTT sender; `log` is set when an operator should hear of it too. */
export interface FailureReason {
  reason: string;
  timeout: boolean;
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
      return { reason: `the device did not confirm within ${replyTimeoutS} s`, timeout: true };
    case 'DEVICE_IO_NOT_CONNECTED':
      return { reason: 'the connection to the device was lost before it confirmed', timeout: false };
    case 'DEVICE_IO_STOPPED':
      return { reason: 'the gateway is stopping; the command was not confirmed', timeout: false };
    case 'DEVICE_IO_QUEUE_FULL':
      return { reason: 'the device is busy with other commands; try again later', timeout: false };
    case 'DEVICE_IO_WRITE_FAILED':
      return { reason: 'the command could not be written to the device', timeout: false, log: describe(err) };
    default:
      return { reason: 'the command failed in the gateway', timeout: false, log: describe(err) };
  }
}

function describe(err: unknown): string {
  const message = (err as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(err);
}
