import { check, KILL_WINDOW_MS, lostCount, percentiles } from './checker.js';
import { History, type CampaignEvent, type FaultRecord } from './history.js';

/** The full round trip of one command, from `t` on, 1 ms per step. */
function roundTrip(id: string, t: number, incarnation = 1): CampaignEvent[] {
  return [
    { at: t, kind: 'sent', id },
    { at: t + 1, kind: 'acked', id },
    { at: t + 2, kind: 'crossed', id },
    { at: t + 3, kind: 'delivered', id, incarnation },
    { at: t + 4, kind: 'replied', id, incarnation },
    { at: t + 5, kind: 'reply-acked', id },
    { at: t + 6, kind: 'received', id },
  ];
}
const without = (events: CampaignEvent[], ...kinds: string[]) => events.filter((e) => !kinds.includes(e.kind));
const verdict = (events: CampaignEvent[], faults: FaultRecord[] = []) => check(History.of(events), faults);

describe('the checker', () => {
  it('finds nothing lost in complete round trips, and counts both directions', () => {
    const v = verdict([...roundTrip('c0', 0), ...roundTrip('c1', 10)]);
    expect(lostCount(v)).toBe(0);
    expect(v.messages).toBe(4);
    expect(v.commands).toMatchObject({ sent: 2, acked: 2, delivered: 2, duplicated: 0 });
    expect(v.replies).toMatchObject({ replied: 2, acked: 2, received: 2, duplicated: 0, unanswered: 0 });
  });

  it('loses a command acknowledged to its sender and never delivered, saying whether it crossed', () => {
    const v = verdict([...roundTrip('c0', 0), ...without(roundTrip('c1', 10), 'delivered', 'replied', 'reply-acked', 'received')]);
    expect(v.commands.lost).toEqual([
      { id: 'c1', side: 'command', at: 11, why: 'crossed to the gateway, never PUBACKed by it nor delivered to the interface' },
    ]);
    expect(v.firstLoss?.id).toBe('c1');
    const never = verdict(without(roundTrip('c2', 0), 'crossed', 'delivered', 'replied', 'reply-acked', 'received'));
    expect(never.commands.lost[0]?.why).toMatch(/never crossed/);
  });

  it('does not count a command the broker never acknowledged (the sender is still trying) as lost', () => {
    const v = verdict([{ at: 0, kind: 'sent', id: 'c0' }]);
    expect(lostCount(v)).toBe(0);
    expect(v.commands.unacked).toBe(1);
  });

  it('counts duplicates on both sides, a delivered command whose PUBACK was lost is not unacked', () => {
    const events = [
      ...without(roundTrip('c0', 0), 'acked'),
      { at: 20, kind: 'delivered', id: 'c0', incarnation: 1 },
      { at: 21, kind: 'received', id: 'c0' },
      { at: 22, kind: 'received', id: 'c0' },
    ] as CampaignEvent[];
    const v = verdict(events);
    expect(v.commands).toMatchObject({ duplicated: 1, unacked: 0, lost: [] });
    expect(v.replies.duplicated).toBe(2);
  });

  it('loses a reply the broker acknowledged to the gateway and the receiver never got', () => {
    const v = verdict(without(roundTrip('c0', 0), 'received'));
    expect(v.replies.lost).toMatchObject([{ id: 'c0', side: 'reply', at: 5 }]);
  });

  it('calls a reply that died with its killed gateway unanswered, and one a live gateway never sent lost', () => {
    const cut = without(roundTrip('c0', 0), 'reply-acked', 'received');
    const killed = verdict([...cut, { at: 50, kind: 'gateway-down', incarnation: 1, detail: 'killed' }]);
    expect(killed.replies.unanswered).toBe(1);
    expect(lostCount(killed)).toBe(0);
    // The incarnation that delivered it is what matters: another one going down explains nothing.
    const other = verdict([...cut, { at: 50, kind: 'gateway-down', incarnation: 2, detail: 'killed' }]);
    expect(other.replies.lost.map((l) => l.id)).toEqual(['c0']);
    expect(verdict(cut).replies.lost[0]?.why).toMatch(/never went down/);
  });

  it('counts apart what a broker-state-loss took before it crossed, and nothing that crossed', () => {
    const stateLoss: FaultRecord = { index: 0, kind: 'broker-state-loss', startedAt: 100, healedAt: 200 };
    const events: CampaignEvent[] = [
      // Queued in the broker when it lost its state: never crossed.
      ...without(roundTrip('c0', 90), 'crossed', 'delivered', 'replied', 'reply-acked', 'received'),
      // Acknowledged after the restart, before the gateway had subscribed again (its first crossing at 300).
      ...without(roundTrip('c1', 250), 'crossed', 'delivered', 'replied', 'reply-acked', 'received'),
      ...roundTrip('c2', 298),
      // Acknowledged after the gateway was subscribed again: the system's loss.
      ...without(roundTrip('c3', 400), 'crossed', 'delivered', 'replied', 'reply-acked', 'received'),
      // Crossed to the gateway and PUBACKed by it before the state loss: the gateway's, the broker's state is no excuse.
      ...without(roundTrip('c4', 95), 'delivered', 'replied', 'reply-acked', 'received'),
      { at: 98, kind: 'gateway-acked', id: 'c4' },
      // Crossed before the state loss, never PUBACKed by the gateway (its reading paused): still the broker's to send again.
      ...without(roundTrip('c5', 90), 'delivered', 'replied', 'reply-acked', 'received'),
    ];
    const v = verdict(events, [stateLoss]);
    expect(v.commands.lostWithBrokerState).toEqual(['c0', 'c1', 'c5']);
    expect(v.commands.lost.map((l) => [l.id, l.why])).toEqual([
      ['c3', 'acknowledged to its sender, never crossed to the gateway'],
      ['c4', 'PUBACKed by the gateway, never delivered to the interface'],
    ]);
    expect(v.firstLoss?.id).toBe('c4');
    // Without the fault every one of them is lost.
    expect(verdict(events).commands.lost).toHaveLength(5);
  });

  it('excuses a command the broker sent before a CONNACK and had not sent again when its state went (it waited in its queue)', () => {
    const stateLoss: FaultRecord = { index: 0, kind: 'broker-state-loss', startedAt: 2500, healedAt: 2600 };
    const events: CampaignEvent[] = [
      // Crossed at 92 into a paused gateway; a restart, and at 300 a CONNACK with the session:
      // the broker sent others again first; this one still waited when the state went at 2500.
      ...without(roundTrip('c0', 90), 'delivered', 'replied', 'reply-acked', 'received'),
      { at: 300, kind: 'connack', sessionPresent: true, incarnation: 1 },
      // Sent by the broker after the state loss began (so it still had it): not excused by it.
      ...without(roundTrip('c1', 90), 'delivered', 'replied', 'reply-acked', 'received'),
      { at: 2700, kind: 'broker-sent', id: 'c1' },
    ];
    const v = verdict(events, [stateLoss]);
    expect(v.commands.lostWithBrokerState).toEqual(['c0']);
    expect(v.commands.lost.map((l) => l.id)).toEqual(['c1']);
  });

  it('makes a command the gateway read its own to deliver once a CONNACK says the broker lost the session (a gateway that drops held messages is caught)', () => {
    const stateLoss: FaultRecord = { index: 0, kind: 'broker-state-loss', startedAt: 100, healedAt: 200 };
    const readNeverDelivered = (id: string, t: number, incarnation = 1): CampaignEvent[] => [
      ...without(roundTrip(id, t, incarnation), 'delivered', 'replied', 'reply-acked', 'received'),
      { at: t + 3, kind: 'read', id, incarnation },
    ];
    const noSession: CampaignEvent = { at: 250, kind: 'connack', sessionPresent: false, incarnation: 1 };
    // Read (its PUBACK waiting for the interface), the connection lost with the broker's state,
    // the CONNACK without a session: only the gateway had it, and it never delivered it.
    const dropped = verdict([...readNeverDelivered('c0', 90), noSession], [stateLoss]);
    expect(dropped.commands.lost).toEqual([expect.objectContaining({ id: 'c0', why: expect.stringMatching(/read by gateway 1 .*no session/) })]);
    // The same with a session present: the broker was to send it again, and lost it with its state.
    const present = verdict([...readNeverDelivered('c0', 90), { ...noSession, sessionPresent: true }], [stateLoss]);
    expect(present.commands.lost).toEqual([]);
    expect(present.commands.lostWithBrokerState).toEqual(['c0']);
    // The gateway kept it and was killed before delivering: the broker lost its copy, the kill the other.
    const killed = verdict([...readNeverDelivered('c0', 90), noSession, { at: 260, kind: 'gateway-down', incarnation: 1 }], [stateLoss]);
    expect(killed.commands.lost).toEqual([]);
    expect(killed.commands.lostWithBrokerState).toEqual(['c0']);
    // Read and never delivered by a gateway that neither reconnected nor died: the gateway's.
    expect(verdict(readNeverDelivered('c1', 0)).commands.lost.map((l) => l.id)).toEqual(['c1']);
    // Killed before any CONNACK: never PUBACKed, so the broker's session has it (not excused without a state loss).
    const killedFirst = verdict([...readNeverDelivered('c1', 0), { at: 50, kind: 'gateway-down', incarnation: 1 }]);
    expect(killedFirst.commands.lost[0]?.why).toMatch(/crossed to the gateway, never PUBACKed/);
    // Another process's CONNACK decides nothing for what this one read.
    const other = verdict([...readNeverDelivered('c0', 90), { ...noSession, sessionPresent: true, incarnation: 2 }], [stateLoss]);
    expect(other.commands.lost.map((l) => l.id)).toEqual(['c0']);
  });

  it('counts apart what the broker acknowledged since its last save before a kill -9 and the gateway never PUBACKed, and nothing else', () => {
    const kill: FaultRecord = { index: 0, kind: 'broker-kill', startedAt: 2000, healedAt: 3000 };
    const lostBefore = (id: string, ackedAt: number) => without(roundTrip(id, ackedAt - 1), 'crossed', 'delivered', 'replied', 'reply-acked', 'received');
    const events: CampaignEvent[] = [
      ...lostBefore('c0', 1999), // just before the kill: not saved yet
      ...lostBefore('c1', 2000 - KILL_WINDOW_MS - 5), // long before: the broker had saved it
      ...lostBefore('c2', 2500), // after the kill: no broker acknowledged it then, yet it is lost
      // Crossed just before the kill, unPUBACKed: the restarted broker does not know it any more.
      ...without(roundTrip('c3', 1997), 'delivered', 'replied', 'reply-acked', 'received'),
      // PUBACKed by the gateway, never delivered: the gateway's, kill or not.
      ...without(roundTrip('c4', 1997), 'delivered', 'replied', 'reply-acked', 'received'),
      { at: 1999, kind: 'gateway-acked', id: 'c4' },
      // A reply the broker acknowledged to the gateway just before the kill, never received.
      ...without(roundTrip('c5', 1990), 'received'),
      // One acknowledged long before, never received: lost.
      ...without(roundTrip('c6', 100), 'received'),
    ];
    const v = verdict(events, [kill]);
    expect(v.commands.lostAtBrokerKill.sort()).toEqual(['c0', 'c3']);
    expect(v.commands.lost.map((l) => l.id).sort()).toEqual(['c1', 'c2', 'c4']);
    expect(v.replies.lostAtBrokerKill).toEqual(['c5']);
    expect(v.replies.lost.map((l) => l.id)).toEqual(['c6']);
    expect(lostCount(v)).toBe(4);
  });

  it('counts apart replies acknowledged before the receiver had subscribed again after a state loss', () => {
    const stateLoss: FaultRecord = { index: 0, kind: 'broker-state-loss', startedAt: 100, healedAt: 200 };
    const events: CampaignEvent[] = [
      { at: 0, kind: 'subscribed' },
      ...without(roundTrip('c0', 210), 'received'),
      { at: 260, kind: 'subscribed' },
      ...without(roundTrip('c1', 300), 'received'),
    ];
    const v = verdict(events, [stateLoss]);
    expect(v.replies.lostWithBrokerState).toEqual(['c0']);
    expect(v.replies.lost.map((l) => l.id)).toEqual(['c1']);
  });

  it('counts ids nobody sent', () => {
    expect(verdict([{ at: 0, kind: 'received', id: 'x' }]).unknownIds).toBe(1);
  });

  it('measures recovery per kind from each heal to the next delivery, and counts failed injections', () => {
    const faults: FaultRecord[] = [
      { index: 0, kind: 'broker-kill', startedAt: 0, healedAt: 100 },
      { index: 1, kind: 'broker-kill', startedAt: 150, healedAt: 200 },
      { index: 2, kind: 'latency', startedAt: 0, healedAt: 1000 },
      { index: 3, kind: 'network-cut', startedAt: 0, error: 'no proxy' },
    ];
    const v = verdict([...roundTrip('c0', 147), ...roundTrip('c1', 297), ...roundTrip('c2', 2000)], faults);
    expect(v.faults['broker-kill']).toEqual({ injected: 2, failed: 0, recovery: { n: 2, p50: 50, p99: 100, max: 100 } });
    expect(v.faults.latency?.recovery?.max).toBe(1003);
    expect(v.faults['network-cut']).toEqual({ injected: 0, failed: 1 });
  });
});

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(xs)).toEqual({ n: 100, p50: 50, p99: 99, max: 100 });
    expect(percentiles([])).toBeUndefined();
  });
});
