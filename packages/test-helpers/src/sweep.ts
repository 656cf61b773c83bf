import { connectClient, type Received } from './client.js';
import { SHARED_BROKER_URL } from './shared.js';

/**
 * What the broker holds retained under `filters`: what a new subscriber gets before a marker sent
 * after the subscription comes back (`settleMs` bounds that wait).
 */
export async function retainedUnder(filters: string | string[], url = SHARED_BROKER_URL, settleMs = 10_000): Promise<Received[]> {
  const client = await connectClient(url);
  try {
    await client.subscribe(filters, 1);
    await client.flush(settleMs);
    return client.messages.filter((m) => m.retain);
  } finally {
    await client.end();
  }
}

/**
 * Clears what a test left retained under `filters`, as a user removing a gateway would: every
 * retained message a new subscriber gets is replaced by an empty retained one. QoS 1, so that
 * each clearing is acknowledged before the client ends (QoS 0 ones were lost to the forced end).
 * Returns how many topics were cleared.
 */
export async function sweepRetained(filters: string[], url = SHARED_BROKER_URL, settleMs = 10_000): Promise<number> {
  const topics = [...new Set((await retainedUnder(filters, url, settleMs)).filter((m) => m.payload !== '').map((m) => m.topic))];
  if (topics.length === 0) return 0;
  const sweeper = await connectClient(url);
  try {
    for (const topic of topics) await sweeper.publish(topic, '', { retain: true, qos: 1 });
    return topics.length;
  } finally {
    await sweeper.end();
  }
}
