import { waitFor, type TestClient } from '@mg/test-helpers';
import { commandTopic } from './probe.js';

/** Message ids `<prefix>0` .. `<prefix><count - 1>` (each a device name, so each a topic of its own). */
export const messageIds = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** Publishes one command per id at QoS 1, each acknowledged before the next. */
export async function sendCommands(client: TestClient, ids: readonly string[], payload = 'light_on'): Promise<void> {
  for (const id of ids) await client.publish(commandTopic(id), payload, { qos: 1 });
}

export interface IdTally {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  missing: string[];
}

/** Counts of ids received against ids sent: unique deliveries, losses, duplicates. */
export function tallyIds(sent: Iterable<string>, received: readonly string[]): IdTally {
  const expected = new Set(sent);
  const seen = new Set<string>();
  let duplicated = 0;
  for (const id of received) {
    if (!expected.has(id)) continue;
    if (seen.has(id)) duplicated += 1;
    else seen.add(id);
  }
  const missing = [...expected].filter((id) => !seen.has(id));
  return { sent: expected.size, delivered: seen.size, lost: missing.length, duplicated, missing };
}

/**
 * Waits until every id has been received (or `timeoutMs` passed), then tallies. A timeout is
 * not an error here: the tally says what is missing, and the scenario asserts on it.
 */
export async function tallyWhenDone(ids: readonly string[], received: () => readonly string[], what: string, timeoutMs = 10_000): Promise<IdTally> {
  await waitFor(() => tallyIds(ids, received()).lost === 0, what, timeoutMs).catch(() => undefined);
  return tallyIds(ids, received());
}
