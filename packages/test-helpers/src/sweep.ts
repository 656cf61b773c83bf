import { connectClient } from './client.js';
import { SHARED_BROKER_URL } from './shared.js';

/**
 * Clears what a test left retained under `filters`, as a user removing a gateway would: every
 * retained message a new subscriber gets is replaced by an empty retained one. QoS 1, so that
 * each clearing is acknowledged before the client ends (QoS 0 ones were lost to the forced end).
 * Returns how many topics were cleared.
 */
export async function sweepRetained(filters: string[], url = SHARED_BROKER_URL, settleMs = 500): Promise<number> {
  const sweeper = await connectClient(url);
  try {
    await sweeper.subscribe(filters);
    await new Promise((r) => setTimeout(r, settleMs));
    const topics = [...new Set(sweeper.messages.filter((m) => m.retain && m.payload !== '').map((m) => m.topic))];
    for (const topic of topics) await sweeper.publish(topic, '', { retain: true, qos: 1 });
    return topics.length;
  } finally {
    await sweeper.end();
  }
}
