import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, lostCount, type Verdict } from './checker.js';
import { FaultRunner } from './fault-runner.js';
import { History, type FaultRecord, type OwnEvent } from './history.js';
import { memoryFigures, type MemoryFigures, type MemorySample } from './memory.js';
import { defaultKinds } from './schedule.js';
import { Receiver, Sender } from './senders.js';
import { formatLossList } from './loss-list.js';
import { formatLossWindow, formatSummary, type LogLine } from './summary.js';
import { startCampaignSystem, type FaultKind, type HistoryEvent } from './system.js';

export interface CampaignOptions {
  seed: number;
  /** Stop after this many messages, commands and replies together (half are commands)... */
  messages?: number;
  /** ...or after this many seconds of load. */
  durationS?: number;
  /** And not before every kind has been injected (and healed) this many times: the load goes on until both are met. */
  faultsEach?: number;
  mode: 'event' | 'polling';
  broker: 'mosquitto' | 'nats-cluster';
  /** Fault kinds to draw from; default: every kind the broker supports. */
  kinds?: readonly FaultKind[];
  /** New commands per second, all senders together. */
  ratePerS: number;
  faultsPerMinute: number;
  senders: number;
  /** Unacknowledged commands per sender, at most. */
  window: number;
  /** Commands acknowledged and not yet delivered (in the last 5 s), at most: keeps the broker's queue short. */
  backlog: number;
  keepaliveS: number;
  acknowledge?: 'received' | 'taken';
  /** The gateway runs on this build of @mg/core (its entry file) instead of the workspace's: a release, a branch, a mutant. */
  core?: string;
  /** What `core` is, for the summary ("mutant drop-held-messages"). */
  coreName?: string;
  /** Where the system keeps its files (default: a fresh temp dir, kept for a post-mortem). */
  dir?: string;
  /** Ends the load early (Ctrl-C): faults are healed, the system drains, the verdict is given as usual. */
  signal?: AbortSignal;
  /** A progress line every 10 s. */
  progress?(line: string): void;
  /** How the run is replayed (printed by a failing run). */
  replay: string;
}

export interface CampaignResult {
  verdict: Verdict;
  faults: FaultRecord[];
  memory?: MemoryFigures;
  summary: string;
  /** The failing run's window around the first loss. */
  lossReport?: string;
  /** 0: nothing lost; 1: a loss; 3: incomplete (commands the senders never got acknowledged). */
  exitCode: 0 | 1 | 3;
  dir: string;
}

const PROGRESS_MS = 10_000;
const MEMORY_MS = 2_000;
/** Nothing more delivered or received for this long: what is missing now will not come. */
const DRAIN_IDLE_MS = 15_000;
const DRAIN_MAX_MS = 180_000;
// Short: commands lost (a state loss before the gateway subscribed again) must not idle the load.
const BACKLOG_AGE_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'mg-campaign-'));
  const logs: LogLine[] = [];
  const log = (line: string) => {
    const at = Date.now();
    logs.push({ at, line });
    appendFileSync(join(dir, 'campaign.log'), `${new Date(at).toISOString()} ${line}\n`);
  };
  const system = await startCampaignSystem({ mode: o.mode, broker: o.broker, dir, keepaliveS: o.keepaliveS, acknowledge: o.acknowledge, core: o.core, log });
  const history = new History();
  const live = { acked: 0, received: 0, delivered: 0, gatewayStarts: 0, incarnation: undefined as number | undefined, lastChange: Date.now() };
  // With faultsEach the message count is a floor, not a cap: the load goes on for the faults.
  const commandBudget = o.messages === undefined || o.faultsEach !== undefined ? Infinity : Math.ceil(o.messages / 2);
  let nextSeq = 0;
  // Acknowledged commands not yet delivered, in the order acknowledged: what the broker queues
  // for the gateway. Kept small: Mosquitto saves its whole state every second here, and a long
  // queue makes each save long and the broker slow. A state loss empties the broker's
  // queue; one undelivered for BACKLOG_AGE_MS is dropped from the count all the same, so that
  // nothing lost holds the senders back for ever.
  const outstanding = new Map<string, number>();
  const own = (e: OwnEvent) => {
    const before = e.kind === 'received' ? (history.messages.get(e.id)?.received ?? 0) : 0;
    history.add(e);
    if (e.kind === 'acked') {
      live.acked++;
      outstanding.set(e.id, e.at);
    }
    if (e.kind === 'received') {
      if (before === 0) live.received++;
      outstanding.delete(e.id);
      live.lastChange = e.at;
    }
  };
  const backlogFull = () => {
    for (const [id, at] of outstanding) {
      if (Date.now() - at < BACKLOG_AGE_MS) break;
      outstanding.delete(id);
    }
    return outstanding.size >= o.backlog;
  };
  const stopLive = system.onHistory((e: HistoryEvent) => {
    if (e.kind === 'delivered') {
      if (e.id !== undefined) outstanding.delete(e.id);
      live.delivered++;
      live.lastChange = e.at;
    } else if (e.kind === 'gateway-up') {
      live.gatewayStarts++;
      live.incarnation = e.incarnation;
    }
  });
  const kinds = o.kinds ?? defaultKinds(o.broker);
  const unsupported = kinds.filter((k) => !system.kinds.includes(k));
  if (unsupported.length > 0) {
    await system.stop();
    throw new Error(`--kinds: ${unsupported.join(', ')} not supported on ${o.broker} (supported: ${system.kinds.join(', ')})`);
  }
  const client = { urls: system.clientUrls, keepaliveS: o.keepaliveS, record: own };
  const receiver = new Receiver({
    ...client,
    clientId: `campaign-receiver-${o.seed}`,
    filter: system.statusFilter,
    replyId: (t, p, packet) => system.replyId(t, p, packet),
  });
  const subscribeBy = Date.now() + 30_000;
  while (history.subscribedTimes.length === 0) {
    if (Date.now() > subscribeBy) {
      receiver.close();
      await system.stop();
      throw new Error(`the receiver could not subscribe on ${system.clientUrls.join(', ')} within 30 s`);
    }
    await sleep(50);
  }
  const nextId = () => (nextSeq >= commandBudget || backlogFull() ? undefined : `c${nextSeq++}`);
  const senders = Array.from(
    { length: o.senders },
    (_, i) =>
      new Sender({
        ...client,
        urls: [...system.clientUrls.slice(i % system.clientUrls.length), ...system.clientUrls.slice(0, i % system.clientUrls.length)],
        clientId: `campaign-sender-${i}`,
        window: o.window,
        ratePerS: o.ratePerS / o.senders,
        nextId,
        command: (id) => system.command(id),
      }),
  );
  const t0 = Date.now();
  const faults = new FaultRunner(system, o.seed, { kinds, faultsPerMinute: o.faultsPerMinute, keepaliveS: o.keepaliveS }, log, t0);
  // What a state loss took stops holding the senders back at once (the checker decides about it
  // at the end); waiting for it to age out would idle the load.
  faults.onStarted = (kind) => {
    if (kind === 'broker-state-loss') outstanding.clear();
  };
  const samples: MemorySample[] = [];
  const sampler = setInterval(() => {
    const incarnation = live.incarnation;
    system.gatewayMemory().then(
      (m) => m && samples.push({ at: Date.now(), ...m, incarnation }),
      () => undefined,
    );
  }, MEMORY_MS);
  let lastProgress = { at: t0, received: 0 };
  const progress = setInterval(() => {
    const now = Date.now();
    const rate = ((live.received - lastProgress.received) * 1000) / (now - lastProgress.at);
    lastProgress = { at: now, received: live.received };
    const mem = samples[samples.length - 1];
    o.progress?.(
      `[campaign ${((now - t0) / 1000).toFixed(0)} s] commands ${nextSeq} sent, ${live.acked} acknowledged, ${live.delivered} delivered; replies ${live.received}; ${rate.toFixed(0)} round trips/s; faults ${faults.records.length} (fewest of a kind: ${Math.min(...kinds.map((k) => faults.records.filter((f) => f.kind === k).length))}; active: ${faults.activeKinds.join(', ') || 'none'}); gateway starts ${live.gatewayStarts}${mem ? `; gateway RSS ${(mem.rss / 1048576).toFixed(0)} MB` : ''}`,
    );
  }, PROGRESS_MS);
  const enoughFaults = () =>
    o.faultsEach === undefined || kinds.every((k) => faults.records.filter((f) => f.kind === k && f.healedAt !== undefined).length >= o.faultsEach!);
  const enoughMessages = () =>
    o.messages !== undefined &&
    (o.faultsEach === undefined ? nextSeq >= commandBudget && senders.every((s) => s.pending === 0) : live.acked + live.received >= o.messages);
  const loadOver = () =>
    o.signal?.aborted === true || (((o.durationS !== undefined && Date.now() - t0 >= o.durationS * 1000) || enoughMessages()) && enoughFaults());
  while (!loadOver()) await sleep(100);
  for (const s of senders) s.finish();
  await faults.stop();
  log('faults stopped and healed; draining');
  const drainStart = Date.now();
  live.lastChange = Date.now();
  while (Date.now() - drainStart < DRAIN_MAX_MS && Date.now() - live.lastChange < DRAIN_IDLE_MS) {
    if (senders.every((s) => s.pending === 0) && live.received >= live.acked) break;
    await sleep(200);
  }
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  clearInterval(progress);
  stopLive();
  for (const e of await system.records()) history.add(e);
  history.seal();
  for (const s of senders) s.close();
  receiver.close();
  await system.stop();
  const verdict = check(history, faults.records);
  const memory = memoryFigures(samples, t0 + Math.min(60_000, (seconds * 1000) / 5));
  const summary = formatSummary(verdict, {
    seed: o.seed,
    mode: o.mode,
    broker: o.broker,
    seconds,
    replay: o.replay,
    gatewayStarts: history.timeline.filter((e) => e.kind === 'gateway-up').length,
    strays: receiver.strays,
    memory,
    core: o.core && (o.coreName ?? o.core),
  });
  // Kept with the run's files first: a failure below must not take the verdict with it.
  appendFileSync(join(dir, 'summary.txt'), `${summary}\n`);
  let lossReport: string | undefined;
  try {
    lossReport = verdict.firstLoss && formatLossWindow(history, faults.records, logs, verdict.firstLoss, o.seed);
  } catch (err) {
    lossReport = `the window around the first loss (${verdict.firstLoss?.id}: ${verdict.firstLoss?.why}) could not be written: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (lossReport) appendFileSync(join(dir, 'summary.txt'), `\n${lossReport}\n`);
  const losses = [...verdict.commands.lost, ...verdict.replies.lost];
  if (losses.length > 0) appendFileSync(join(dir, 'losses.txt'), formatLossList(losses, history, faults.records));
  const exitCode = lostCount(verdict) > 0 ? 1 : verdict.commands.unacked > 0 ? 3 : 0;
  return { verdict, faults: faults.records, memory, summary, lossReport, exitCode, dir };
}
