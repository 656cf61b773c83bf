import { formatBusAddress, parseBusAddress } from './address.js';

describe('the address of a Modbus bus', () => {
  it.each([
    ['tcp://192.168.1.30:502', { kind: 'tcp', host: '192.168.1.30', port: 502 }],
    ['tcp://meter.local', { kind: 'tcp', host: 'meter.local', port: 502 }],
    ['TCP://gw:1502', { kind: 'tcp', host: 'gw', port: 1502 }],
    ['tcp://[::1]:5020', { kind: 'tcp', host: '::1', port: 5020 }],
    ['rtu+tcp://10.0.0.7:4001', { kind: 'rtu+tcp', host: '10.0.0.7', port: 4001 }],
    ['tcp://gw:80', { kind: 'tcp', host: 'gw', port: 80 }],
    ['/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0' }],
    ['COM3', { kind: 'serial', path: 'COM3' }],
  ])('reads %s', (text, expected) => {
    expect(parseBusAddress(text)).toEqual(expected);
  });

  it.each([
    ['', 'the address is empty: use tcp://host:port (Modbus TCP)'],
    ['udp://gw:502', 'address "udp://gw:502" has an unsupported scheme "udp://"'],
    ['tcp://gw:70000', 'address "tcp://gw:70000" needs a port between 1 and 65535'],
    ['tcp://gw:0', 'needs a port between 1 and 65535'],
    ['tcp://gw:502/path', 'has more than a host and a port: use tcp://gw:port'],
    ['tcp://:502', 'is not a valid host and port'],
  ])('refuses %j, saying what is expected', (text, message) => {
    expect(() => parseBusAddress(text)).toThrow(message);
  });

  it('is written back in log lines as it was meant', () => {
    expect(formatBusAddress(parseBusAddress('rtu+tcp://gw'))).toBe('rtu+tcp://gw:502');
    expect(formatBusAddress(parseBusAddress('tcp://[::1]:7'))).toBe('tcp://[::1]:7');
    expect(formatBusAddress(parseBusAddress('/dev/ttyS1'))).toBe('/dev/ttyS1');
  });
});
