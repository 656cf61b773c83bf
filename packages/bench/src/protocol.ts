/** What the orchestrator, the targets and the load generator say to each other over IPC. */

export const ROOT = 'bench';
const LOCATIONS = ['office', 'kitchen', 'dining_room'] as const;
const DEVICES = 10;
/** Commands: bench/audiovideo/dummy/<location>/<device>/loadgen/C, which the dummy map accepts. */
export const commandTopic = (i: number) => `${ROOT}/audiovideo/dummy/${LOCATIONS[i % LOCATIONS.length]}/dev${i % DEVICES}/loadgen/C`;
export const COMMAND_FILTER = `${ROOT}/+/+/+/+/loadgen/C`;
export const STATUS_FILTER = `${ROOT}/+/+/+/+/+/S`;

/** High-resolution wall clock in ms, comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export interface ProcessStats {
  /** User + system CPU time, µs. */
  cpuUs: number;
  rss: number;
  /** Peak resident set size since the process started, bytes. */
  maxRss: number;
}

function processStats(): ProcessStats {
  const cpu = process.cpuUsage();
  return { cpuUs: cpu.user + cpu.system, rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 };
}

/**
 * How the target's interface behaves during a phase: `delayMs` of asynchronous device time per
 * message, one at a time (a slow interface); `stuckMs`: it takes nothing for that long, then
 * resumes (a stuck interface).
 */
export interface Behaviour {
  delayMs?: number;
  stuckMs?: number;
}

export type LoadRequest =
  | { type: 'burst'; count: number; qos: 0 | 1; behaviour?: Behaviour; name?: string; idleMs?: number }
  | { type: 'steady'; rate: number; seconds: number; qos: 0 | 1 }
  | { type: 'stop' };

export interface LoadResult {
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Received messages per second, first send to last receive. */
  throughput: number;
  p50: number;
  p99: number;
  max: number;
}

/** Answers `{ type: 'stats' }` from the parent with this process's CPU and memory. */
export function answerStats(): void {
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stats') process.send?.({ type: 'stats', stats: processStats() });
  });
}
