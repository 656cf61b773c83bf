/**
 * The last `size` values of a measure, for a percentile of what is happening now: a gateway
 * that runs for months must neither keep every value nor let its first hour dominate.
 */
export class RecentSample {
  private readonly values: Float64Array;
  private count = 0;

  constructor(readonly size = 1024) {
    this.values = new Float64Array(size);
  }

  add(value: number): void {
    this.values[this.count % this.size] = value;
    this.count += 1;
  }

  /** The `p`-th percentile (0 < p <= 100) of the values kept, nearest rank; 0 when there is none. */
  percentile(p: number): number {
    const n = Math.min(this.count, this.size);
    if (n === 0) return 0;
    const sorted = this.values.slice(0, n).sort();
    return sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1]!;
  }
}
