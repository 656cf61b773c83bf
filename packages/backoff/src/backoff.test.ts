import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap, each delay between half and all of the base', () => {
    const low = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 0 });
    expect(Array.from({ length: 6 }, () => low.next())).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    const high = new Backoff({ minMs: 1000, maxMs: 8000, random: () => 0.999999 });
    expect(Array.from({ length: 6 }, () => high.next())).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('starts again from the minimum after reset, and jumps to the cap on toMax', () => {
    const b = new Backoff({ minMs: 100, maxMs: 60_000, random: () => 0.5 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(75);
    b.toMax();
    expect(b.next()).toBe(45_000);
  });

  it('spreads the delays of gateways that failed together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => new Backoff({ minMs: 1000, maxMs: 60_000 }).next()));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('refuses a nonsensical range', () => {
    expect(() => new Backoff({ minMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new Backoff({ minMs: 10, maxMs: 5 })).toThrow(RangeError);
  });
});
