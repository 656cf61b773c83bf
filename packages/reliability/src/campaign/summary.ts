import { KILL_WINDOW_MS, lostCount, type Loss, type Percentiles, type Verdict } from './checker.js';
import type { FaultRecord, History, MessageRecord } from './history.js';
import type { MemoryFigures } from './memory.js';

/** What the summary says about a run besides the verdict. */
export interface RunFacts {
  seed: number;
  mode: string;
  broker: string;
  seconds: number;
  /** The command line that replays it. */
  replay: string;
  gatewayStarts: number;
  /** Received replies naming no command (not the campaign's). */
  strays: number;
  memory?: MemoryFigures;
  /** The gateway ran on another build of @mg/core (`--core`, `--mutant`): which. */
  core?: string;
}

/** A line of the system's log, with when the campaign got it. */
export interface LogLine {
  at: number;
  line: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;
const ms = (p: Percentiles) => `p50 ${n(p.p50)} ms, p99 ${n(p.p99)} ms, max ${n(p.max)} ms (${p.n} heals)`;

/** The end-of-run summary, as the CLI prints it. */
export function formatSummary(v: Verdict, f: RunFacts): string {
  const c = v.commands;
  const r = v.replies;
  const lost = lostCount(v);
  const lines = [
    `Fault campaign: seed ${f.seed}, ${f.mode} mode, ${f.broker}, ${f.seconds.toFixed(0)} s${f.core ? `; gateway on ${f.core}` : ''}`,
    `Messages: ${n(v.messages)} (commands acknowledged by the broker ${n(c.acked)}, replies ${n(Math.max(r.received, r.acked))})`,
    `Commands: sent ${n(c.sent)}, acknowledged ${n(c.acked)}, delivered ${n(c.delivered)}, never acknowledged ${n(c.unacked)}`,
    `Replies: pushed ${n(r.replied)}, acknowledged to the gateway ${n(r.acked)}, received ${n(r.received)}`,
    `Lost: ${n(lost)} (commands ${n(c.lost.length)}, replies ${n(r.lost.length)})`,
    `Lost with the broker's state (broker-state-loss, counted apart): commands ${n(c.lostWithBrokerState.length)}, replies ${n(r.lostWithBrokerState.length)}`,
    `Lost by the broker at a kill -9 (acknowledged in the ${n(KILL_WINDOW_MS)} ms before it, after its last save; counted apart): commands ${n(c.lostAtBrokerKill.length)}, replies ${n(r.lostAtBrokerKill.length)}`,
    `Duplicated: commands ${n(c.duplicated)}, replies ${n(r.duplicated)}`,
    `Unanswered (reply died unsent with a killed gateway): ${n(r.unanswered)}`,
    `Gateway processes started: ${f.gatewayStarts}; ids nobody sent: ${v.unknownIds + f.strays}`,
    'Faults (injected, failed; recovery = heal → next delivery to the interface):',
    ...Object.entries(v.faults).map(
      ([kind, k]) =>
        `  ${kind.padEnd(18)} ${String(k.injected).padStart(5)}${k.failed ? ` (${k.failed} failed)` : ''}${k.recovery ? `  ${ms(k.recovery)}` : ''}`,
    ),
  ];
  const m = f.memory;
  if (m) {
    lines.push(
      `Gateway memory after warm-up (${m.samples} samples): RSS max ${mb(m.rssMax)}, heap max ${mb(m.heapMax)}; growth over the run RSS ${signedMb(m.rssGrowth)}, heap ${signedMb(m.heapGrowth)}`,
    );
    if (m.longest)
      lines.push(
        `  longest-lived gateway process (${m.longest.seconds.toFixed(0)} s): RSS ${signedMb(m.longest.rssGrowth)}, heap ${signedMb(m.longest.heapGrowth)}`,
      );
  } else lines.push('Gateway memory: no sample');
  lines.push(
    lost === 0 && c.unacked === 0
      ? 'Result: PASS'
      : `Result: FAIL (${lost === 0 ? `${c.unacked} commands never acknowledged` : `${lost} lost`}); replay: ${f.replay}`,
  );
  return lines.join('\n');
}

const WINDOW_CAP_MS = 30_000;
const NEIGHBOURS = 3;

function messageLines(m: MessageRecord): Array<{ at: number; text: string }> {
  const out: Array<{ at: number; text: string }> = [];
  const add = (at: number | undefined, what: string) => at !== undefined && out.push({ at, text: `${m.id} ${what}` });
  add(m.sentAt, `published by its sender (${m.sent} time(s))`);
  add(m.ackedAt, 'PUBACK to its sender');
  add(m.crossedAt, 'crossed to the gateway');
  if (m.lastCrossedAt !== m.crossedAt) add(m.lastCrossedAt, 'crossed to the gateway again (last time)');
  add(m.lastBrokerSentAt, 'sent by the broker toward the gateway (last time)');
  add(m.readAt, `read by gateway #${m.readBy ?? '?'} (last time)`);
  add(m.gatewayAckedAt, 'PUBACKed by the gateway');
  add(m.deliveredAt, `delivered to the interface (${m.delivered} time(s), gateway #${m.deliveredBy ?? '?'})`);
  add(m.replyAckedAt, `reply PUBACKed to the gateway (${m.replied} pushed)`);
  add(m.receivedAt, `reply received (${m.received} time(s))`);
  return out;
}

/**
 * The smallest window of history that explains the first loss: from its publication (or the
 * start of a fault that was active when it was acknowledged, if earlier) to the first delivery
 * of a later command (the system had moved past it) or the heal of those faults, capped at 30 s
 * each side. It shows the faults, the gateway's and receiver's connections, the system's log,
 * the lost id and its neighbours, and deliveries per second.
 */
export function formatLossWindow(h: History, faults: readonly FaultRecord[], logs: readonly LogLine[], loss: Loss, seed: number): string {
  const m = h.messages.get(loss.id)!;
  const active = faults.filter((f) => f.startedAt <= loss.at && (f.healedAt ?? Infinity) >= loss.at - 1000);
  const seq = Number(loss.id.replace(/^\D+/, ''));
  const prefix = loss.id.replace(/\d+$/, '');
  // A loop, not Math.min(...): a million-message run has hundreds of thousands of them (a
  // spread that large overflows the stack, which once ate a full run's verdict).
  let firstLater = Infinity;
  for (const x of h.messages.values())
    if (x.deliveredAt !== undefined && x.deliveredAt >= loss.at && x.deliveredAt < firstLater && Number(x.id.replace(/^\D+/, '')) > seq)
      firstLater = x.deliveredAt;
  const from = Math.max(loss.at - WINDOW_CAP_MS, Math.min(m.sentAt ?? loss.at, ...active.map((f) => f.startedAt)) - 1000);
  const until = Math.min(loss.at + WINDOW_CAP_MS, Math.max(firstLater, ...active.map((f) => f.healedAt ?? loss.at)) + 1000);
  const rows: Array<{ at: number; text: string }> = [];
  for (const f of faults) {
    rows.push({ at: f.startedAt, text: `FAULT #${f.index} ${f.kind} ${f.error ? `failed: ${f.error}` : 'starts'}` });
    if (f.healedAt !== undefined) rows.push({ at: f.healedAt, text: `FAULT #${f.index} ${f.kind} healed` });
  }
  for (const e of h.timeline)
    rows.push({
      at: e.at,
      text: `${e.kind === 'subscribed' ? 'receiver subscribed' : e.kind}${'incarnation' in e && e.incarnation !== undefined ? ` #${e.incarnation}` : ''}${'detail' in e && e.detail ? ` ${e.detail}` : ''}`,
    });
  for (const l of logs) rows.push({ at: l.at, text: `log: ${l.line}` });
  for (let i = seq - NEIGHBOURS; i <= seq + NEIGHBOURS; i++) {
    const x = h.messages.get(`${prefix}${i}`);
    if (x) rows.push(...messageLines(x).map((row) => ({ ...row, text: `${x.id === loss.id ? '>>' : '  '} ${row.text}` })));
  }
  const perSecond = new Map<number, number>();
  for (const t of h.deliveredTimes)
    if (t >= from && t <= until) perSecond.set(Math.floor((t - from) / 1000), (perSecond.get(Math.floor((t - from) / 1000)) ?? 0) + 1);
  const inWindow = rows.filter((r) => r.at >= from && r.at <= until).sort((a, b) => a.at - b.at);
  const rel = (t: number) => `${t >= loss.at ? '+' : '-'}${(Math.abs(t - loss.at) / 1000).toFixed(3)}s`;
  return [
    `First loss: ${loss.side} ${loss.id}: ${loss.why} (seed ${seed}).`,
    `History from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}, times relative to ${new Date(loss.at).toISOString()} (when it became the system's):`,
    ...inWindow.map((r) => `  ${rel(r.at).padStart(9)}  ${r.text}`),
    `Deliveries per second from the window's start: ${Array.from({ length: Math.ceil((until - from) / 1000) }, (_, i) => perSecond.get(i) ?? 0).join(' ')}`,
  ].join('\n');
}
