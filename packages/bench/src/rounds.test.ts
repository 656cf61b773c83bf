import type { Row } from './report.js';
import { combineRounds } from './rounds.js';

const row = (target: string, phase: string, throughput: number, extra: Partial<Row> = {}): Row => ({
  target,
  phase,
  sent: 100,
  received: 100,
  lost: 0,
  duplicates: 0,
  throughput,
  p50: throughput / 100,
  p99: throughput / 10,
  max: throughput,
  cpuUs: throughput / 1000,
  maxRss: throughput * 1000,
  ...extra,
});

describe('combineRounds', () => {
  it('one row per target and phase: medians of the rounds, counts summed, peaks the highest', () => {
    const rows = [
      row('relay', 'burst', 30),
      row('gw', 'burst', 10),
      row('relay', 'burst', 10),
      row('gw', 'burst', 20, { lost: 3 }),
      row('relay', 'burst', 20),
      row('gw', 'burst', 90),
    ];
    const [relay, gw] = combineRounds(rows);
    expect(relay).toMatchObject({
      target: 'relay',
      sent: 300,
      received: 300,
      lost: 0,
      throughput: 20,
      p50: 0.2,
      cpuUs: 0.02,
      max: 30,
      maxRss: 30_000,
      rounds: [30, 10, 20],
    });
    expect(gw).toMatchObject({ target: 'gw', sent: 300, lost: 3, throughput: 20, max: 90, maxRss: 90_000, rounds: [10, 20, 90] });
  });

  it('an even number of rounds takes the mean of the middle two; a phase run once is its own row', () => {
    const [a, b] = combineRounds([row('gw', 'burst', 10), row('gw', 'slow', 5), row('gw', 'burst', 40), row('gw', 'burst', 20), row('gw', 'burst', 30)]);
    expect(a).toMatchObject({ phase: 'burst', throughput: 25, rounds: [10, 40, 20, 30] });
    expect(b).toMatchObject({ phase: 'slow', throughput: 5, sent: 100, rounds: [5] });
  });

  it('latency a round could not measure (nothing came back) does not count in the median', () => {
    const [r] = combineRounds([row('gw', 'x', 10, { p99: Number.NaN }), row('gw', 'x', 20, { p99: 4 })]);
    expect(r!.p99).toBe(4);
  });
});
