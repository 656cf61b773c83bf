import type { Logger } from '@mg/app-properties';
import type { Throttle } from '@mg/throttled-error';
import type { RejectReason } from '../model/reject.js';
import type { Counters } from './counters.js';

export interface FinalReportInput {
  log: Logger;
  counters: Counters;
  /** Incoming messages read but not acknowledged at stop (the broker keeps them). */
  leftToBroker: number;
  rejects: Record<RejectReason, Throttle>;
  incomingDrops: Throttle;
  /** Outgoing drops the throttled log has not reported. */
  outgoingDrops: number;
}

/**
 * The last words of a gateway: the reports the throttles held back, and the totals of every
 * drop and refusal, so that a short run does not end with "1 dropped so far" when thousands were.
 */
export function finalReport({ log, counters: c, leftToBroker, rejects, incomingDrops, outgoingDrops }: FinalReportInput): void {
  if (incomingDrops.pending > 0) log.warn(`${c.incomingDropped} incoming messages were dropped in all (incomingoverflow dropoldest)`);
  if (outgoingDrops > 0) log.warn(`${c.dropped} outgoing messages were dropped in all (outbox full)`);
  for (const [reason, throttle] of Object.entries(rejects)) {
    if (throttle.pending > 0) log.warn(`${c.rejected[reason as RejectReason]} messages were rejected in all (${reason})`);
  }
  if (leftToBroker > 0) log.info(`${leftToBroker} incoming messages read but not acknowledged were left to the broker`);
  const rejected = Object.entries(c.rejected)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${n}`);
  log.info(
    `stopped. Totals: received ${c.received}, delivered ${c.delivered}, published ${c.published}, ` +
      `outgoing dropped ${c.dropped}, coalesced ${c.coalesced}, incoming dropped ${c.incomingDropped}, ` +
      `reading paused ${c.incomingPauses} times (${(c.incomingPausedMs / 1000).toFixed(1)} s), interface errors ${c.interfaceErrors}, ` +
      `rejected ${rejected.length > 0 ? rejected.join(', ') : 'none'}`,
  );
}
