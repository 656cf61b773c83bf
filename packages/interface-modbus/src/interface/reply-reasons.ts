import { errorMessage } from '@mg/errors';
import { describeException } from '../bus/exceptions.js';
import { ModbusExceptionError, type ModbusError } from '../errors.js';

/** Why a request for a command failed, worded for the MQTT sender; `log` is set when an operator should hear of it too. */
export interface FailureReason {
  reason: string;
  timeout: boolean;
  log?: string;
}

/**
 * Turns what a bus request rejected with into the reason of an ERROR reply: the Modbus
 * exception by name, or the timeout, without the request's internals.
 */
export function failureReason(err: unknown, o: { timeoutMs: number; retries: number }): FailureReason {
  if (err instanceof ModbusExceptionError) return { reason: `the device answered ${describeException(err.exception)}`, timeout: false };
  const code = (err as ModbusError | undefined)?.code;
  switch (code) {
    case 'MODBUS_TIMEOUT': {
      const tries = o.retries === 0 ? '' : ` (${o.retries + 1} attempts)`;
      return { reason: `no answer from the device within ${o.timeoutMs} ms${tries}`, timeout: true };
    }
    case 'MODBUS_NOT_CONNECTED':
      return { reason: 'the Modbus bus is not connected', timeout: false };
    case 'MODBUS_STOPPED':
      return { reason: 'the gateway is stopping', timeout: false };
    case 'MODBUS_BAD_ANSWER':
      return { reason: 'the device gave an answer that does not fit the request', timeout: false, log: errorMessage(err) };
    default:
      return { reason: 'the command failed in the gateway', timeout: false, log: errorMessage(err) };
  }
}
