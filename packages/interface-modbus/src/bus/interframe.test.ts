import { interFrameGapMs } from './interframe.js';

describe('the silence between two RTU frames', () => {
  it('is 3.5 characters at the line speed: 11 bits a character with parity, 10 without', () => {
    expect(interFrameGapMs({ baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1 })).toBeCloseTo((3.5 * 11 * 1000) / 9600, 6);
    expect(interFrameGapMs({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 })).toBeCloseTo((3.5 * 10 * 1000) / 9600, 6);
    expect(interFrameGapMs({ baudRate: 2400, dataBits: 8, parity: 'none', stopBits: 2 })).toBeCloseTo((3.5 * 11 * 1000) / 2400, 6);
    expect(interFrameGapMs({ baudRate: 19_200, dataBits: 8, parity: 'even', stopBits: 1 })).toBeCloseTo(2.005, 3);
  });

  it('is a fixed 1.75 ms above 19200 baud, as the serial line specification says', () => {
    expect(interFrameGapMs({ baudRate: 38_400, dataBits: 8, parity: 'even', stopBits: 1 })).toBe(1.75);
    expect(interFrameGapMs({ baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 })).toBe(1.75);
  });
});
