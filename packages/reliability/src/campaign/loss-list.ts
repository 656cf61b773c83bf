import type { Loss } from './checker.js';
import type { FaultRecord, History } from './history.js';

const rel = (t: number | undefined, t0: number) => (t === undefined ? '-' : `+${((t - t0) / 1000).toFixed(3)}s`);

/**
 * Every loss, one line each, with the times the checker decided it on (relative to the run's
 * first event): the first-loss window shows one; a run with hundreds needs them all to sort
 * them by cause. Written to the run's folder as losses.txt.
 */
export function formatLossList(losses: readonly Loss[], h: History, faults: readonly FaultRecord[]): string {
  const t0 = h.timeline[0]?.at ?? losses[0]?.at ?? 0;
  const stateLosses = faults.filter((f) => f.kind === 'broker-state-loss' && f.error === undefined).map((f) => f.startedAt);
  const lines = losses.map((l) => {
    const m = h.messages.get(l.id);
    if (!m) return `${l.side} ${l.id} at ${rel(l.at, t0)}: ${l.why}`;
    const sent = m.lastBrokerSentAt ?? m.lastCrossedAt;
    const next = sent === undefined ? undefined : h.connections.find((c) => c.at > sent);
    const facts = [
      `acked ${rel(m.ackedAt, t0)}`,
      `broker last sent ${rel(m.lastBrokerSentAt, t0)}`,
      `crossed ${rel(m.crossedAt, t0)}..${rel(m.lastCrossedAt, t0)}`,
      `read ${m.readBy === undefined ? '-' : `by ${m.readBy} ${rel(m.readAt, t0)}`}`,
      `gateway PUBACK ${rel(m.gatewayAckedAt, t0)}`,
      `next CONNACK ${next ? `${rel(next.at, t0)} (${next.incarnation ?? '?'}, session ${next.sessionPresent ? 'present' : 'absent'})` : '-'}`,
      `next state loss ${rel(
        stateLosses.find((s) => s >= (sent ?? m.ackedAt ?? 0)),
        t0,
      )}`,
    ];
    return `${l.side} ${l.id}: ${l.why}\n    ${facts.join('; ')}`;
  });
  return `${lines.join('\n')}\n`;
}
