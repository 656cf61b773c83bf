import { isMgError } from '@mg/errors';
import { SerialportUnavailableError } from './errors.js';
import { loadSerialport, serialOpener } from './serial-transport.js';

describe('loadSerialport', () => {
  it('loads serialport when it is installed', () => {
    expect(typeof loadSerialport()).toBe('function');
  });

  it('names the package to install when it is missing', () => {
    let err: unknown;
    try {
      loadSerialport('serialport-that-is-not-installed');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SerialportUnavailableError);
    expect(isMgError(err, 'DEVICE_IO_SERIALPORT_MISSING')).toBe(true);
    expect((err as Error).message).toMatch(/needs the "serialport-that-is-not-installed" package.*npm install serialport-that-is-not-installed@13/);
    expect((err as Error).cause).toBeDefined();
  });
});

describe('serialOpener', () => {
  it('refuses line settings that cannot work', () => {
    const SerialPort = loadSerialport();
    expect(() => serialOpener('/dev/ttyS0', { baudRate: 0 }, SerialPort)).toThrow(/baudRate/);
    expect(() => serialOpener('/dev/ttyS0', { dataBits: 9 as never }, SerialPort)).toThrow(/dataBits/);
    expect(() => serialOpener('/dev/ttyS0', { parity: 'strange' as never }, SerialPort)).toThrow(/parity/);
    expect(() => serialOpener('/dev/ttyS0', { stopBits: 3 as never }, SerialPort)).toThrow(/stopBits/);
  });
});
