import type { Row } from './report.js';

const median = (values: number[]): number => {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
};

/**
 * The rows of several rounds as one row per target and phase, in the order they first came:
 * counts (sent, lost, duplicates) summed, so that a loss in any round shows; throughput, latency
 * and CPU the median of the rounds; max latency and peak RSS the highest. `rounds` keeps each
 * round's throughput. One burst on a shared 2-core machine moves by 10-25 % from run to run;
 * the median of rounds that alternate the targets is what a ratio between them can rest on.
 */
export function combineRounds(rows: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.target}\u0000${r.phase}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()].map((g) => ({
    target: g[0]!.target,
    phase: g[0]!.phase,
    sent: g.reduce((s, r) => s + r.sent, 0),
    received: g.reduce((s, r) => s + r.received, 0),
    lost: g.reduce((s, r) => s + r.lost, 0),
    duplicates: g.reduce((s, r) => s + r.duplicates, 0),
    throughput: median(g.map((r) => r.throughput)),
    p50: median(g.map((r) => r.p50)),
    p99: median(g.map((r) => r.p99)),
    max: Math.max(...g.map((r) => r.max)),
    cpuUs: median(g.map((r) => r.cpuUs)),
    maxRss: Math.max(...g.map((r) => r.maxRss)),
    rounds: g.map((r) => r.throughput),
  }));
}
