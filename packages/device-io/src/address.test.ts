import { formatAddress, parseAddress } from './address.js';
import { DeviceAddressError } from './errors.js';

describe('parseAddress', () => {
  it('reads tcp://host:port, IPv6 included', () => {
    expect(parseAddress('tcp://192.168.1.20:23')).toEqual({ kind: 'tcp', host: '192.168.1.20', port: 23 });
    expect(parseAddress('TCP://avr.local:23/')).toEqual({ kind: 'tcp', host: 'avr.local', port: 23 });
    expect(parseAddress('tcp://[::1]:2323')).toEqual({ kind: 'tcp', host: '::1', port: 2323 });
  });

  it('takes anything without a scheme as a serial device path', () => {
    for (const path of ['/dev/ttyUSB0', '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', 'COM3', './pty-a']) {
      expect(parseAddress(path)).toEqual({ kind: 'serial', path });
    }
  });

  it.each([
    ['', /empty/],
    [' /dev/ttyS0', /spaces/],
    ['udp://h:23', /unsupported scheme "udp:\/\/"/],
    ['tcp://avr.local', /needs a port/],
    ['tcp://avr.local:0', /needs a port/],
    ['tcp://avr.local:99999', /not a valid URL/],
    ['tcp://avr.local:23/x', /more than a host and a port/],
    ['tcp://:23', /not a valid URL/],
  ])('refuses %j with a message saying what to write', (address, message) => {
    expect(() => parseAddress(address)).toThrow(DeviceAddressError);
    expect(() => parseAddress(address)).toThrow(message);
  });

  it('formats addresses back for messages', () => {
    expect(formatAddress(parseAddress('tcp://[::1]:23'))).toBe('tcp://[::1]:23');
    expect(formatAddress(parseAddress('tcp://box:23'))).toBe('tcp://box:23');
    expect(formatAddress(parseAddress('/dev/ttyUSB0'))).toBe('/dev/ttyUSB0');
  });
});
