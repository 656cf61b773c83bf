import { RecentSample } from './lateness.js';

describe('RecentSample', () => {
  it('gives a percentile of the values kept, by nearest rank', () => {
    const s = new RecentSample(100);
    expect(s.percentile(99)).toBe(0);
    for (let v = 1; v <= 100; v++) s.add(v);
    expect([s.percentile(50), s.percentile(99), s.percentile(100)]).toEqual([50, 99, 100]);
  });

  it('keeps only the last `size` values: an old spike ages out', () => {
    const s = new RecentSample(10);
    s.add(1_000);
    for (let i = 0; i < 9; i++) s.add(1);
    expect(s.percentile(99)).toBe(1_000);
    s.add(2);
    expect(s.percentile(99)).toBe(2);
  });
});
