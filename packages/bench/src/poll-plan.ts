/** The polling gateway the bench measures, and what it reports: shared by the orchestrator and the poller. */
/** Each bus's items spread evenly over the interval (offsetMs), as a gateway that polls this many would set them. */
export const POLL_LAYOUT = { buses: 10, devicesPerBus: 10, itemsPerDevice: 10, intervalMs: 1_000, timeoutMs: 500 } as const;

/** `gateway`: @mg with polls over local TCP, each answer published; `scheduler`: the scheduler alone, each poll answered at once in process. */
export type PollMode = 'gateway' | 'scheduler';

/** What the poller measured over its window (after a warm-up). */
export interface PollResult {
  polls: number;
  /** Seconds measured. */
  seconds: number;
  /** CPU time of the poller process (user + system) per poll, µs. */
  cpuUs: number;
  /** How late polls started after their due time, ms. */
  p50: number;
  p99: number;
  max: number;
  late: number;
  failures: number;
  timeouts: number;
  /** Statuses the gateway published (0 for the scheduler alone). */
  published: number;
}

/** The `p`-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}
