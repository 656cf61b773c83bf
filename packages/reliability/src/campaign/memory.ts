/** One reading of the gateway process's memory (after a GC: heapUsed is what it holds). */
export interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
  /** The gateway process it was read from (a kill -9 starts a new one). */
  incarnation?: number;
}

export interface MemoryFigures {
  samples: number;
  rssMax: number;
  heapMax: number;
  /** Median of the last window minus median of the first window after warm-up, bytes (all processes). */
  rssGrowth: number;
  heapGrowth: number;
  /** The longest-lived gateway process after warm-up: its life and its own growth (same windows). */
  longest?: { incarnation?: number; seconds: number; rssGrowth: number; heapGrowth: number };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)]!;
};

/** Growth between the first and the last `windowMs` of the samples (sorted by time), by median. */
function growth(samples: readonly MemorySample[], windowMs: number): { rss: number; heap: number } {
  if (samples.length < 2) return { rss: 0, heap: 0 };
  const first = samples[0]!.at;
  const last = samples[samples.length - 1]!.at;
  const span = Math.min(windowMs, (last - first) / 2);
  const head = samples.filter((s) => s.at <= first + span);
  const tail = samples.filter((s) => s.at >= last - span);
  return {
    rss: median(tail.map((s) => s.rss)) - median(head.map((s) => s.rss)),
    heap: median(tail.map((s) => s.heapUsed)) - median(head.map((s) => s.heapUsed)),
  };
}

/**
 * The memory figures of a run: samples before `warmupEnd` are left out (the process fills its
 * lists and JIT first); growth compares medians of a window at each end, so one GC-timed spike
 * does not make a trend. Gateway kills start fresh processes, so the growth of the longest-lived
 * one is given too: a leak shows there even when kills keep the run's figure flat.
 */
export function memoryFigures(all: readonly MemorySample[], warmupEnd: number, windowMs = 30_000): MemoryFigures | undefined {
  const samples = all.filter((s) => s.at >= warmupEnd).sort((a, b) => a.at - b.at);
  if (samples.length === 0) return undefined;
  const run = growth(samples, windowMs);
  const byIncarnation = new Map<number | undefined, MemorySample[]>();
  for (const s of samples) {
    const xs = byIncarnation.get(s.incarnation) ?? [];
    xs.push(s);
    byIncarnation.set(s.incarnation, xs);
  }
  let longest: MemoryFigures['longest'];
  for (const [incarnation, xs] of byIncarnation) {
    const seconds = (xs[xs.length - 1]!.at - xs[0]!.at) / 1000;
    if (longest && seconds <= longest.seconds) continue;
    const g = growth(xs, windowMs);
    longest = { incarnation, seconds, rssGrowth: g.rss, heapGrowth: g.heap };
  }
  return {
    samples: samples.length,
    rssMax: Math.max(...samples.map((s) => s.rss)),
    heapMax: Math.max(...samples.map((s) => s.heapUsed)),
    rssGrowth: run.rss,
    heapGrowth: run.heap,
    longest,
  };
}
