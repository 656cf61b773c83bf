import type { FaultKind, HistoryEvent } from './system.js';

/** What the campaign's own clients saw: a command published, acknowledged by the broker, a reply received. */
export type OwnEvent = { at: number; kind: 'sent' | 'acked' | 'received'; id: string } | { at: number; kind: 'subscribed' };

/** Every event the checker reads: the system's (tap, gateway records, supervisor) and the campaign's own. */
export type CampaignEvent = HistoryEvent | OwnEvent;

/** One fault as it happened. */
export interface FaultRecord {
  index: number;
  kind: FaultKind;
  startedAt: number;
  /** When its heal() resolved; undefined if it never healed (the run ended in it). */
  healedAt?: number;
  /** Why it could not be injected (then it did not happen). */
  error?: string;
}

/** What happened to one command id and its reply. Times are epoch ms; counts include duplicates. */
export interface MessageRecord {
  id: string;
  sent: number;
  sentAt?: number;
  ackedAt?: number;
  crossedAt?: number;
  /** The last time it crossed (a broker sends again what a lost connection left unacknowledged). */
  lastCrossedAt?: number;
  /** The last time the broker sent it toward the gateway (its own time: before any added latency). */
  lastBrokerSentAt?: number;
  /** The gateway's last record of having read it (in its incoming list), and which process read it. */
  readAt?: number;
  readBy?: number;
  /** The gateway's first PUBACK of the command (seen by the tap as it left the gateway). */
  gatewayAckedAt?: number;
  delivered: number;
  deliveredAt?: number;
  deliveredBy?: number;
  replied: number;
  replyAckedAt?: number;
  received: number;
  receivedAt?: number;
}

/** Events that are not about one message: kept in full for the failing-run window. */
export type TimelineEvent = (HistoryEvent & { id?: undefined }) | { at: number; kind: 'subscribed' };

const ascending = (xs: number[]) => xs.sort((a, b) => a - b);

/**
 * The history, folded as it comes in: one record per command id (a million events would not fit
 * comfortably as objects), sorted times of what the checker searches, and the few events that
 * are not about a message. Events may come in any order; `seal()` sorts before checking.
 */
export class History {
  readonly messages = new Map<string, MessageRecord>();
  /** Times of every delivery to the interface (recovery: the first one after a heal). */
  readonly deliveredTimes: number[] = [];
  /** Times of every command that crossed to the gateway. */
  readonly crossedTimes: number[] = [];
  /** The receiver's SUBACKs. */
  readonly subscribedTimes: number[] = [];
  /** The CONNACKs the gateway got, with their sessionPresent. */
  readonly connections: Array<{ at: number; incarnation?: number; sessionPresent: boolean }> = [];
  /** Gateway processes ending, with their incarnation. */
  readonly gatewayDowns: Array<{ at: number; incarnation?: number }> = [];
  readonly timeline: TimelineEvent[] = [];

  private record(id: string): MessageRecord {
    let r = this.messages.get(id);
    if (!r) {
      r = { id, sent: 0, delivered: 0, replied: 0, received: 0 };
      this.messages.set(id, r);
    }
    return r;
  }

  add(e: CampaignEvent): void {
    if (e.kind === 'subscribed') {
      this.subscribedTimes.push(e.at);
      this.timeline.push(e);
      return;
    }
    if (e.id === undefined) {
      if (e.kind === 'gateway-down') this.gatewayDowns.push({ at: e.at, incarnation: e.incarnation });
      if (e.kind === 'connack' && e.sessionPresent !== undefined)
        this.connections.push({ at: e.at, incarnation: e.incarnation, sessionPresent: e.sessionPresent });
      this.timeline.push(e as TimelineEvent);
      return;
    }
    const r = this.record(e.id);
    const first = (t: number | undefined) => (t === undefined ? e.at : Math.min(t, e.at));
    switch (e.kind) {
      case 'sent':
        r.sent++;
        r.sentAt = first(r.sentAt);
        break;
      case 'acked':
        r.ackedAt = first(r.ackedAt);
        break;
      case 'crossed':
        r.crossedAt = first(r.crossedAt);
        r.lastCrossedAt = Math.max(r.lastCrossedAt ?? e.at, e.at);
        this.crossedTimes.push(e.at);
        break;
      case 'broker-sent':
        r.lastBrokerSentAt = Math.max(r.lastBrokerSentAt ?? e.at, e.at);
        break;
      case 'read':
        if (r.readAt === undefined || e.at >= r.readAt) {
          r.readAt = e.at;
          r.readBy = e.incarnation;
        }
        break;
      case 'gateway-acked':
        r.gatewayAckedAt = first(r.gatewayAckedAt);
        break;
      case 'delivered':
        r.delivered++;
        if (r.deliveredAt === undefined || e.at < r.deliveredAt) {
          r.deliveredAt = e.at;
          r.deliveredBy = e.incarnation;
        }
        this.deliveredTimes.push(e.at);
        break;
      case 'replied':
        r.replied++;
        break;
      case 'reply-acked':
        r.replyAckedAt = first(r.replyAckedAt);
        break;
      case 'received':
        r.received++;
        r.receivedAt = first(r.receivedAt);
        break;
      default:
        this.timeline.push(e as TimelineEvent);
    }
  }

  /** Sorts what the checker searches; call once all events are in. */
  seal(): this {
    ascending(this.deliveredTimes);
    ascending(this.crossedTimes);
    ascending(this.subscribedTimes);
    this.gatewayDowns.sort((a, b) => a.at - b.at);
    this.connections.sort((a, b) => a.at - b.at);
    this.timeline.sort((a, b) => a.at - b.at);
    return this;
  }

  static of(events: Iterable<CampaignEvent>): History {
    const h = new History();
    for (const e of events) h.add(e);
    return h.seal();
  }
}

/** The first value ≥ t in a sorted array, or undefined. */
export function firstAtOrAfter(sorted: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}
