/** A random source: numbers in [0, 1), like Math.random, but replayable. */
export type Random = () => number;

/**
 * mulberry32, as in ../fuzz-cases.ts: small, fast and good enough to draw faults. The same seed
 * gives the same sequence, which is what makes a failing campaign replayable.
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [min, max). */
export function between(rnd: Random, min: number, max: number): number {
  return min + (max - min) * rnd();
}

/** The items in a random order (Fisher-Yates), a new array. */
export function shuffled<T>(rnd: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
