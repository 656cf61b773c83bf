import type { TestClient } from '@mg/test-helpers';

export interface StreamOptions {
  /** Commands published and not yet acknowledged, at most. */
  window: number;
  /** Pause after each command, ms: the stream lasts long enough for the faults it meets. */
  paceMs: number;
  /** Runs (not awaited) just before the command at this index is sent: the fault "in the middle". */
  at?: ReadonlyMap<number, () => void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes one QoS 1 command per id through `client`, paced, with a bounded window of
 * unacknowledged ones (MQTT.js resends them when its connection comes back). Resolves when the
 * broker has acknowledged every one.
 */
export async function streamCommands(client: TestClient, ids: readonly string[], topicOf: (id: string) => string, o: StreamOptions): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (const [i, id] of ids.entries()) {
    o.at?.get(i)?.();
    while (inFlight.size >= o.window) await Promise.race(inFlight);
    const p: Promise<void> = client.publish(topicOf(id), 'light_on', { qos: 1 }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (o.paceMs > 0) await sleep(o.paceMs);
  }
  await Promise.all(inFlight);
}

/** The longest silence, ms, between two arrivals after `from` (the first one counted from `from`), and when it ended. */
export function longestGap(times: readonly number[], from: number): { ms: number; endedAt: number } {
  const after = times.filter((t) => t >= from).sort((a, b) => a - b);
  let gap = { ms: 0, endedAt: from };
  let last = from;
  for (const t of after) {
    if (t - last > gap.ms) gap = { ms: t - last, endedAt: t };
    last = t;
  }
  return gap;
}
