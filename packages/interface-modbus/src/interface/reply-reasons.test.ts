import { ModbusError, ModbusExceptionError } from '../errors.js';
import { describeException, exceptionName } from '../bus/exceptions.js';
import { failureReason } from './reply-reasons.js';

const o = { timeoutMs: 1000, retries: 1 };

describe('Modbus exceptions by name', () => {
  it.each([
    [1, 'ILLEGAL FUNCTION'],
    [2, 'ILLEGAL DATA ADDRESS'],
    [3, 'ILLEGAL DATA VALUE'],
    [4, 'SLAVE DEVICE FAILURE'],
    [5, 'ACKNOWLEDGE'],
    [6, 'SLAVE DEVICE BUSY'],
    [10, 'GATEWAY PATH UNAVAILABLE'],
    [11, 'GATEWAY TARGET DEVICE FAILED TO RESPOND'],
    [42, 'EXCEPTION 42'],
  ])('%i is %s', (code, name) => {
    expect(exceptionName(code)).toBe(name);
  });

  it('says what the exception means to whoever sent the command', () => {
    expect(describeException(6)).toBe('SLAVE DEVICE BUSY (the device is busy; try again later)');
    expect(describeException(42)).toBe('EXCEPTION 42');
  });
});

describe('the reason of an ERROR reply', () => {
  it('names the exception the device answered', () => {
    expect(failureReason(new ModbusExceptionError(3, 'ILLEGAL DATA VALUE', 'unit 1 fc 6 at 4: exception 3'), o)).toEqual({
      reason: 'the device answered ILLEGAL DATA VALUE (the device refused the value)',
      timeout: false,
    });
  });

  it('gives the timeout and the attempts, without the request internals', () => {
    expect(failureReason(new ModbusError('MODBUS_TIMEOUT', 'unit 1 fc 6 at 4 (1): no answer'), o)).toEqual({
      reason: 'no answer from the device within 1000 ms (2 attempts)',
      timeout: true,
    });
    expect(failureReason(new ModbusError('MODBUS_TIMEOUT', 'x'), { timeoutMs: 200, retries: 0 }).reason).toBe('no answer from the device within 200 ms');
  });

  it('keeps what the sender cannot act on for the log', () => {
    expect(failureReason(new ModbusError('MODBUS_BAD_ANSWER', 'unit 1 fc 3 at 0 x 2: CRC error'), o)).toEqual({
      reason: 'the device gave an answer that does not fit the request',
      timeout: false,
      log: 'unit 1 fc 3 at 0 x 2: CRC error',
    });
    expect(failureReason(new TypeError('boom'), o)).toEqual({ reason: 'the command failed in the gateway', timeout: false, log: 'boom' });
    expect(failureReason(new ModbusError('MODBUS_NOT_CONNECTED', 'x'), o).reason).toBe('the Modbus bus is not connected');
  });
});
