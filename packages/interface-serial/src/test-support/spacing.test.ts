import { spacingShortfall } from './spacing.js';

describe('spacingShortfall', () => {
  it('is 0 for a run spaced exactly or more', () => {
    expect(spacingShortfall([0, 5, 10, 20, 25], 5)).toBe(0);
    expect(spacingShortfall([], 5)).toBe(0);
  });

  it('is the read delay of one late arrival, not twice it, when the sender kept the spacing', () => {
    // sent at 0, 5, 10, 15; the third read 3 ms late: gaps 5, 8, 2
    expect(spacingShortfall([0, 5, 13, 15], 5)).toBeCloseTo(3);
  });

  it('grows with the burst when the sender sends too early', () => {
    const tooFast = Array.from({ length: 1000 }, (_, i) => i * 4.9);
    expect(spacingShortfall(tooFast, 5)).toBeCloseTo(999 * 0.1);
    const ignored = Array.from({ length: 1000 }, () => 0);
    expect(spacingShortfall(ignored, 5)).toBe(999 * 5);
  });
});
