import { memoryFigures, type MemorySample } from './memory.js';

const MB = 1048576;
const sample = (s: number, rssMb: number, heapMb: number, incarnation = 1): MemorySample => ({
  at: s * 1000,
  rss: rssMb * MB,
  heapUsed: heapMb * MB,
  incarnation,
});

describe('memory figures', () => {
  it('leaves the warm-up out and compares medians of each end, so one spike makes no trend', () => {
    const samples = [sample(0, 300, 200), ...Array.from({ length: 100 }, (_, i) => sample(60 + i * 2, 80 + (i === 50 ? 100 : 0) + i * 0.1, 20))];
    const m = memoryFigures(samples, 60_000, 30_000)!;
    expect(m.samples).toBe(100);
    expect(m.rssMax).toBe(185 * MB);
    expect(m.rssGrowth / MB).toBeCloseTo(8.5, 0);
    expect(m.heapGrowth).toBe(0);
  });

  it('gives the longest-lived gateway process its own growth (kills hide a leak from the run figure)', () => {
    const leaky = Array.from({ length: 60 }, (_, i) => sample(100 + i * 2, 80 + i, 20 + i, 2));
    const fresh = Array.from({ length: 5 }, (_, i) => sample(300 + i * 2, 80, 20, 3));
    const m = memoryFigures([...leaky, ...fresh], 0, 20_000)!;
    expect(m.longest).toMatchObject({ incarnation: 2, seconds: 118 });
    expect(m.longest!.rssGrowth / MB).toBeGreaterThan(40);
  });

  it('has nothing to say without samples after the warm-up', () => {
    expect(memoryFigures([sample(1, 80, 20)], 5000)).toBeUndefined();
  });
});
