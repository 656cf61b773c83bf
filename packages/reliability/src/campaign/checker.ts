import { firstAtOrAfter, type FaultRecord, type History, type MessageRecord } from './history.js';
import type { FaultKind } from './system.js';

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

interface KindFigures {
  injected: number;
  /** Injections that failed (named in the log). */
  failed: number;
  /** Heal → the next delivery to the interface, ms (faults after which nothing was left to deliver are not counted). */
  recovery?: Percentiles;
}

/** A lost message: which id, and on which side. */
export interface Loss {
  id: string;
  side: 'command' | 'reply';
  /** Why it counts: the history of the id in one phrase. */
  why: string;
  /** When it became the system's to deliver (PUBACK to the sender, or to the gateway). */
  at: number;
}

export interface Verdict {
  commands: {
    /** Unique ids published by the senders. */
    sent: number;
    /** Acknowledged by the broker to their sender. */
    acked: number;
    /** Published, never acknowledged by the end (the senders were still trying). */
    unacked: number;
    /** Delivered to the interface (unique). */
    delivered: number;
    /** Extra deliveries (QoS 1 allows them). */
    duplicated: number;
    lost: Loss[];
    /**
     * The broker's loss in a broker-state-loss: acknowledged to the sender before the span was
     * over and either never crossed to the gateway, or last crossed before the state loss (with
     * no CONNACK of the gateway in between) and never PUBACKed by the gateway (it was still the
     * broker's to send again); or read by a gateway that the CONNACK without a session made its
     * holder, killed before it could deliver it.
     */
    lostWithBrokerState: string[];
    /**
     * The broker's loss at a kill -9: acknowledged to the sender at most KILL_WINDOW_MS before a
     * broker kill (-9, with or without its state) was done, never PUBACKed by the gateway:
     * Mosquitto saves its state periodically and restarts from its last save.
     */
    lostAtBrokerKill: string[];
  };
  replies: {
    /** Replies the gateway acknowledged having pushed (unique ids). */
    replied: number;
    /** Acknowledged by the broker to the gateway (seen by the tap). */
    acked: number;
    /** Received by the campaign's receiver (unique). */
    received: number;
    duplicated: number;
    lost: Loss[];
    lostWithBrokerState: string[];
    /** Acknowledged to the gateway at most KILL_WINDOW_MS before a broker kill -9, never received. */
    lostAtBrokerKill: string[];
    /** Delivered commands whose reply never left a gateway that was killed or crashed meanwhile. */
    unanswered: number;
  };
  /** Ids in the gateway's records or the receiver that no sender sent. */
  unknownIds: number;
  /** Commands (acknowledged) plus replies (acknowledged or received): both directions. */
  messages: number;
  faults: Partial<Record<FaultKind, KindFigures>>;
  /** The earliest loss (by the time it became the system's), for the failing-run window. */
  firstLoss?: Loss;
}

export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}

/**
 * The intervals during which a broker-state-loss can explain a loss: from the fault's start
 * until the side that reads the messages had subscribed again after the heal (the broker had
 * neither the queued messages nor the subscription). `resubscribed` is a sorted list of times
 * the reader is known to have been subscribed (the first command that crossed, the receiver's SUBACK).
 */
function stateLossSpans(faults: readonly FaultRecord[], resubscribed: readonly number[]): Array<[number, number]> {
  return faults
    .filter((f) => f.kind === 'broker-state-loss' && f.error === undefined)
    .map((f) => [f.startedAt, firstAtOrAfter(resubscribed, f.healedAt ?? f.startedAt) ?? Infinity]);
}

/** Acknowledged before a span ended: the broker held it (or had no subscriber for it) when its state went. */
const lostInSpan = (t: number, spans: ReadonlyArray<[number, number]>) => spans.some(([, until]) => t <= until);

/**
 * How long before a broker kill's completion (the fault's start: SIGKILL sent and the process
 * gone) an acknowledgement may have come from a message Mosquitto had not saved. The campaign's
 * Mosquitto saves its state every second (saving at every change made each save as long as its
 * queue and the broker the bottleneck): a kill -9 loses what it acknowledged since its last
 * save, up to a second, plus the time a busy broker takes to get to the save.
 */
export const KILL_WINDOW_MS = 1500;

/** Broker kills -9 (with or without the state), by the time they were complete. */
const killTimes = (faults: readonly FaultRecord[]) =>
  faults.filter((f) => (f.kind === 'broker-kill' || f.kind === 'broker-state-loss') && f.error === undefined).map((f) => f.startedAt);

/**
 * How much earlier than the relay read it a broker killed -9 may have sent a command: bytes it
 * wrote just before its death are read by the relay after the kill completed.
 */
const SENT_SLACK_MS = 100;

/**
 * The broker still had it to send when a state loss began: it last sent it toward the gateway
 * (which never PUBACKed it) before the state loss. Times are the broker's side of the relay.
 */
function heldByBrokerAtStateLoss(m: MessageRecord, faults: readonly FaultRecord[], spans: ReadonlyArray<[number, number]>): boolean {
  const sent = m.lastBrokerSentAt ?? m.lastCrossedAt;
  if (sent === undefined || m.gatewayAckedAt !== undefined) return false;
  // Not bounded by the gateway's next CONNACK: a broker does not always send everything again at
  // once (Mosquitto restored from its file sent 3 of the 7 it had sent before, seed 24102: its
  // in-flight limit or its restore order); what it has not sent again is still in its queue.
  return faults.some((f) => f.kind === 'broker-state-loss' && f.error === undefined && f.startedAt >= sent - SENT_SLACK_MS) && lostInSpan(m.ackedAt!, spans);
}

/**
 * A command the gateway read and never PUBACKed (its `taken` acknowledgement waiting, or held
 * for room): whose it was is decided by that process's next CONNACK, as the gateway decides it.
 * Session present: the broker's again (it sends it again). No session: the gateway's to deliver,
 * nothing else will bring it back ('gateway'), unless the process was killed before it could
 * ('killed': the broker lost its copy and the kill the other). No next CONNACK: the gateway's if
 * the process lived on, the broker's if it was killed first.
 */
function heldByGateway(m: MessageRecord, h: History): 'gateway' | 'killed' | undefined {
  const { readAt, readBy } = m;
  if (readAt === undefined || readBy === undefined || m.gatewayAckedAt !== undefined) return undefined;
  const next = h.connections.find((c) => c.incarnation === readBy && c.at > readAt);
  const died = h.gatewayDowns.find((d) => d.incarnation === readBy && d.at >= readAt);
  if (next?.sessionPresent) return undefined;
  if (!next) return died ? undefined : 'gateway';
  return died && died.at >= next.at ? 'killed' : 'gateway';
}

/**
 * The verdict over a sealed history. Definitions (docs/reliability.md, "Fault campaign"):
 * a command is lost when the broker acknowledged it to its sender and it never reached the
 * interface, unless a broker-state-loss can explain it (it never crossed to the gateway, or
 * last crossed and was never PUBACKed by the gateway before the state went) or a broker kill -9
 * can (never PUBACKed by the gateway, PUBACKed to its sender within KILL_WINDOW_MS of the kill): both counted
 * apart. A command the gateway read is the gateway's once a CONNACK without a session follows
 * (`heldByGateway`): then no state loss excuses it. A reply is lost when the broker acknowledged it to the gateway and the
 * receiver never got it (same exception), or when a command was delivered and its reply never
 * left a gateway that stayed alive; a reply that died unsent with a killed gateway is unanswered.
 */
export function check(h: History, faults: readonly FaultRecord[]): Verdict {
  const commandSpans = stateLossSpans(faults, h.crossedTimes);
  const replySpans = stateLossSpans(faults, h.subscribedTimes);
  const kills = killTimes(faults);
  const beforeKill = (ackedAt: number) => kills.some((k) => ackedAt <= k && ackedAt > k - KILL_WINDOW_MS);
  const v: Verdict = {
    commands: { sent: 0, acked: 0, unacked: 0, delivered: 0, duplicated: 0, lost: [], lostWithBrokerState: [], lostAtBrokerKill: [] },
    replies: { replied: 0, acked: 0, received: 0, duplicated: 0, lost: [], lostWithBrokerState: [], lostAtBrokerKill: [], unanswered: 0 },
    unknownIds: 0,
    messages: 0,
    faults: {},
  };
  const c = v.commands;
  const r = v.replies;
  const gatewayDownAfter = (m: MessageRecord) =>
    h.gatewayDowns.some((d) => (m.deliveredBy !== undefined && d.incarnation !== undefined ? d.incarnation === m.deliveredBy : d.at >= m.deliveredAt!));
  for (const m of h.messages.values()) {
    if (m.sent === 0) {
      v.unknownIds++;
      continue;
    }
    c.sent++;
    if (m.ackedAt !== undefined) c.acked++;
    else if (m.delivered === 0) c.unacked++;
    if (m.delivered > 0) c.delivered++;
    c.duplicated += Math.max(0, m.delivered - 1);
    if (m.replied > 0) r.replied++;
    if (m.replyAckedAt !== undefined) r.acked++;
    if (m.received > 0) r.received++;
    if (m.ackedAt !== undefined) v.messages++;
    if (m.received > 0 || m.replyAckedAt !== undefined) v.messages++;
    r.duplicated += Math.max(0, m.received - 1);
    if (m.ackedAt !== undefined && m.delivered === 0) {
      const ackedAt = m.ackedAt;
      const held = heldByGateway(m, h);
      if (held === 'gateway')
        c.lost.push({
          id: m.id,
          side: 'command',
          at: ackedAt,
          why: `read by gateway ${m.readBy} (not PUBACKed), which never delivered it although the broker could not send it again (its next CONNACK had no session, or it never reconnected and lived on)`,
        });
      else if (held === 'killed') c.lostWithBrokerState.push(m.id);
      else if (m.crossedAt === undefined && lostInSpan(ackedAt, commandSpans)) c.lostWithBrokerState.push(m.id);
      else if (heldByBrokerAtStateLoss(m, faults, commandSpans)) c.lostWithBrokerState.push(m.id);
      else if (m.gatewayAckedAt === undefined && beforeKill(ackedAt)) c.lostAtBrokerKill.push(m.id);
      else
        c.lost.push({
          id: m.id,
          side: 'command',
          at: ackedAt,
          why:
            m.crossedAt === undefined
              ? 'acknowledged to its sender, never crossed to the gateway'
              : m.gatewayAckedAt === undefined
                ? 'crossed to the gateway, never PUBACKed by it nor delivered to the interface'
                : 'PUBACKed by the gateway, never delivered to the interface',
        });
    }
    if (m.received > 0) continue;
    if (m.replyAckedAt !== undefined) {
      if (lostInSpan(m.replyAckedAt, replySpans)) r.lostWithBrokerState.push(m.id);
      else if (beforeKill(m.replyAckedAt)) r.lostAtBrokerKill.push(m.id);
      else r.lost.push({ id: m.id, side: 'reply', at: m.replyAckedAt, why: 'reply acknowledged to the gateway, never received' });
    } else if (m.delivered > 0) {
      if (gatewayDownAfter(m)) r.unanswered++;
      else
        r.lost.push({
          id: m.id,
          side: 'reply',
          at: m.deliveredAt!,
          why: `delivered${m.replied > 0 ? ' and replied' : ''}, the reply never acknowledged nor received, the gateway never went down`,
        });
    }
  }
  for (const f of faults) {
    const k = (v.faults[f.kind] ??= { injected: 0, failed: 0 });
    if (f.error !== undefined) k.failed++;
    else k.injected++;
  }
  for (const kind of Object.keys(v.faults) as FaultKind[]) {
    const times = faults
      .filter((f) => f.kind === kind && f.healedAt !== undefined && f.error === undefined)
      .map((f) => {
        const next = firstAtOrAfter(h.deliveredTimes, f.healedAt!);
        return next === undefined ? undefined : next - f.healedAt!;
      })
      .filter((x): x is number => x !== undefined);
    const p = percentiles(times);
    if (p) v.faults[kind]!.recovery = p;
  }
  v.firstLoss = [...c.lost, ...r.lost].sort((a, b) => a.at - b.at)[0];
  return v;
}

/** Lost by the system under test (the broker's state losses apart): what fails a run. */
export const lostCount = (v: Verdict): number => v.commands.lost.length + v.replies.lost.length;
