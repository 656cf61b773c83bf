import { waitFor, type TestClient } from '@mg/test-helpers';
import { AVAILABILITY, STATUS_FILTER, commandTopic, idOf, writeConf } from './probe.js';
import { useResources } from './resources.js';
import { messageIds, sendCommands, tallyWhenDone } from './deliveries.js';
import { scenario } from './scenario.js';

// Flow control: an interface slower than the traffic, or stuck for a while, loses nothing.
// Messages wait in the incoming list (bounded) and then at the broker, whose queue the docs tell
// users to size; the session survives an interface stuck for longer than the keepalive.
const { broker, probe, client } = useResources();
const KEEPALIVE_S = 2;

/** Publishes every command at QoS 1 without waiting for each acknowledgement: a burst. */
async function flood(c: TestClient, ids: readonly string[]): Promise<void> {
  await Promise.all(ids.map((id) => c.client.publishAsync(commandTopic(id), 'light_on', { qos: 1 })));
}

scenario('Slow interface (1 ms per command, one at a time), polling: 5,000 QoS 1 commands, Mosquitto default limits', async (t) => {
  const b = await broker({ extraConfig: ['log_type notice'] }); // where "messages are being dropped" is said
  const gw = probe(writeConf(b.url, { subqos: 1, pubqos: 1 }));
  const device = await client(b.url);
  await device.subscribe(STATUS_FILTER, 1);
  await gw.connected;
  await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
  await gw.request({ type: 'behave', delayMs: 1 });
  const ids = messageIds('s', 5_000);
  await sendCommands(device, ids);
  const r = await tallyWhenDone(ids, () => gw.received, 'every command', 40_000);
  const replies = await tallyWhenDone(ids, () => device.messages.map((m) => idOf(m.topic)), 'every reply', 10_000);
  const report = await gw.report();
  Object.assign(t, {
    ...r,
    notes: `${replies.delivered} replies back, ${report.counters!.incomingPauses} pauses: the gateway read ahead into its incoming list (bounded by incomingsize), so the broker (20 in flight, 1,000 queued) never had to drop`,
  });
  expect(r.missing).toEqual([]);
  expect(r.duplicated).toBe(0);
  expect(replies.lost).toBe(0);
  expect(b.output).not.toMatch(/dropped/i);
});

scenario('Slow interface, event mode: a 5,000-command QoS 1 burst through a 500-message incoming list (reading pauses)', async (t) => {
  // The documented sizing: the broker's queue holds what the gateway does not read yet.
  const b = await broker({ extraConfig: ['max_queued_messages 10000'] });
  const gw = probe(writeConf(b.url, { subqos: 1, pubqos: 1, incomingsize: 500 }), { event: true });
  const device = await client(b.url);
  await gw.connected;
  await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
  await gw.request({ type: 'behave', delayMs: 1 });
  const ids = messageIds('b', 5_000);
  await flood(device, ids);
  const r = await tallyWhenDone(ids, () => gw.received, 'every command', 40_000);
  const report = await gw.report();
  Object.assign(t, { ...r, notes: `reading paused ${report.counters!.incomingPauses} times; incoming dropped ${report.counters!.incomingDropped}` });
  expect(r.missing).toEqual([]);
  expect(r.duplicated).toBe(0);
  expect(report.counters!.incomingPauses).toBeGreaterThan(0);
  expect(report.counters!.incomingDropped).toBe(0);
});

for (const event of [false, true]) {
  scenario(
    `Stuck interface for 2x keepalive (${KEEPALIVE_S} s), ${event ? 'event mode' : 'polling'}: 2,000 QoS 1 commands meanwhile, persistent session`,
    async (t) => {
      const b = await broker({ extraConfig: ['max_queued_messages 10000'] });
      const gw = probe(writeConf(b.url, { subqos: 1, pubqos: 1, clean: 'off', keepalive: KEEPALIVE_S, incomingsize: 500 }), { event });
      const device = await client(b.url);
      await device.subscribe(AVAILABILITY, 1);
      await gw.connected;
      await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
      await gw.request({ type: 'behave', stuckMs: 2 * KEEPALIVE_S * 1000 });
      const ids = messageIds('k', 2_000);
      await flood(device, ids);
      const r = await tallyWhenDone(ids, () => gw.received, 'every command', 30_000);
      const report = await gw.report();
      const availability = device.messages.filter((m) => m.topic === AVAILABILITY).map((m) => m.payload);
      Object.assign(t, {
        ...r,
        notes: `${report.counters!.connections} connection(s), availability ${availability.join(' ') || '(retained online)'}; reading paused ${report.counters!.incomingPauses} times`,
      });
      expect(r.missing).toEqual([]);
      expect(r.duplicated).toBe(0);
      expect(report.counters!.disconnections).toBe(0);
      expect(availability).not.toContain('offline');
    },
  );
}
