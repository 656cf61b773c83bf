// pnpm bench: the @mg gateway against a raw MQTT.js relay, through one broker, in one run.
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedBroker } from '@mg/embedded-broker';
import mqtt from 'mqtt';
import { mosquittoBinary, startMosquitto, updateDocSection } from '@mg/test-helpers';
import { type LoadRequest, type LoadResult } from './protocol.js';
import { next, statsOf, STUCK_KEEPALIVE_S, TARGETS, type TargetSpec } from './targets.js';
import { pollingRows, type PollingRow } from './polling.js';
import { modbusRows, type ModbusRow } from './modbus.js';
import { formatDocSection, formatModbusTable, formatPollingTable, formatRounds, formatTable, PERFORMANCE_PAGE, type Row } from './report.js';
import { combineRounds } from './rounds.js';

const QUICK = process.env.BENCH_QUICK === '1';
const PLAN = QUICK
  ? {
      rounds: 1,
      warmup: 500,
      burst: 2_000,
      steady: [500],
      seconds: 1,
      qos1: 500,
      slow: 300,
      stuck: 500,
      soak: 5_000,
      soakRate: 2_500,
      targets: TARGETS,
      polling: { warmupMs: 1_000, measureMs: 2_000 },
      modbus: { warmupMs: 1_000, measureMs: 2_000 },
    }
  : {
      rounds: roundsFrom(process.env.BENCH_ROUNDS),
      warmup: 10_000,
      burst: 100_000,
      steady: [500, 2_000, 10_000],
      seconds: 10,
      qos1: 20_000,
      slow: 20_000,
      stuck: 20_000,
      soak: 1_000_000,
      soakRate: 10_000,
      targets: TARGETS,
      polling: { warmupMs: 5_000, measureMs: 30_000 },
      modbus: { warmupMs: 5_000, measureMs: 20_000 },
    };
/** `BENCH_ONLY=polling`: only the polling rows (a minute), for work on the poll scheduler; `modbus`: only the Modbus rows (two minutes). */
const ONLY = process.env.BENCH_ONLY;
const OUT = process.env.BENCH_OUT ?? join(__dirname, '..', '..', '..', 'bench-results.json');

function hasMosquitto(): boolean {
  return mosquittoBinary() !== 'mosquitto' || spawnSync('mosquitto', ['-h'], { stdio: 'ignore' }).error === undefined;
}

async function startBroker(): Promise<{ url: string; kind: string; close(): Promise<void> }> {
  if (hasMosquitto()) {
    // No per-client queue or in-flight limit: a burst measures the clients, not mosquitto's
    // defaults (1000 queued, 20 in flight), which drop messages for a subscriber that lags.
    const m = await startMosquitto({ extraConfig: ['max_queued_messages 0', 'max_inflight_messages 0'] });
    return { url: m.url, kind: 'a private mosquitto (set_tcp_nodelay true)', close: () => m.dispose() };
  }
  const b = await startEmbeddedBroker({ port: 0 });
  return { url: b.url, kind: 'the embedded broker (aedes): mosquitto is not installed', close: () => b.close() };
}

/** Ends a persistent session at the broker: connect with its client id and a clean session. */
/** Ends a persistent session at the broker; a failure is reported, never hides the session's own error. */
async function endSession(url: string, clientId: string): Promise<void> {
  try {
    const c = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5_000 });
    await c.endAsync();
  } catch (err) {
    console.error(`bench: could not end the session of ${clientId} at ${url}: ${(err as Error).message}`);
  }
}

/** BENCH_ROUNDS, a whole number from 1: a typo must not run a bench with no rounds. */
function roundsFrom(value: string | undefined): number {
  if (value === undefined) return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ROUNDS must be a whole number from 1, got "${value}"`);
  return n;
}

async function session(
  target: TargetSpec,
  url: string,
  qos: 0 | 1,
  phases: LoadRequest[],
): Promise<{ results: { req: LoadRequest; result: LoadResult; cpuUs: number }[]; maxRss: number; rssStart: number; rssEnd: number }> {
  const spawned = target.spawn(url, qos);
  const t = spawned.process;
  const load: ChildProcess = fork(join(__dirname, 'loadgen.js'), [url], { stdio: 'inherit' });
  try {
    await next(t, 'ready');
    await next(load, 'ready');
    const start = await statsOf(t);
    const results = [];
    for (const req of phases) {
      if (req.type === 'burst' && req.behaviour) {
        const ok = next(t, 'behaving');
        t.send({ type: 'behave', behaviour: req.behaviour });
        await ok;
      }
      const before = await statsOf(t);
      const reply = next<{ result: LoadResult }>(load, 'result');
      load.send(req);
      const { result } = await reply;
      const after = await statsOf(t);
      // Per message relayed (came back), so that messages lost before the target are not counted.
      results.push({ req, result, cpuUs: (after.cpuUs - before.cpuUs) / Math.max(1, result.received) });
    }
    const end = await statsOf(t);
    return { results, maxRss: end.maxRss, rssStart: start.rss, rssEnd: end.rss };
  } finally {
    load.send({ type: 'stop' });
    t.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    t.kill('SIGKILL');
    if (spawned.persistentClientId) await endSession(url, spawned.persistentClientId);
  }
}

const label = (req: LoadRequest) =>
  req.type === 'burst' && req.name
    ? req.name
    : req.type === 'burst'
      ? `burst ${req.count.toLocaleString('en')}, QoS ${req.qos}`
      : req.type === 'steady'
        ? `steady ${req.rate.toLocaleString('en')}/s, QoS ${req.qos}`
        : '';

/** Each session's phases as rows, with the session's own peak RSS (one process per QoS). */
function rowsOf(target: TargetSpec, s: Awaited<ReturnType<typeof session>>): Row[] {
  return s.results.map((r) => ({ target: target.name, phase: label(r.req), ...r.result, cpuUs: r.cpuUs, maxRss: s.maxRss }));
}

const warmup = (qos: 0 | 1): LoadRequest => ({ type: 'burst', count: PLAN.warmup, qos, name: `warm-up ${PLAN.warmup.toLocaleString('en')}, QoS ${qos}` });
const slowPhase = (): LoadRequest => ({
  type: 'burst',
  count: PLAN.slow,
  qos: 1,
  behaviour: { delayMs: 1 },
  name: `slow 1 ms/msg, ${PLAN.slow.toLocaleString('en')} QoS 1`,
  idleMs: 10_000,
});
const stuckPhase = (): LoadRequest => ({
  type: 'burst',
  count: PLAN.stuck,
  qos: 1,
  behaviour: { stuckMs: 2 * STUCK_KEEPALIVE_S * 1000 },
  name: `stuck ${2 * STUCK_KEEPALIVE_S} s, ${PLAN.stuck.toLocaleString('en')} QoS 1`,
  idleMs: 2 * STUCK_KEEPALIVE_S * 1000 + 5_000,
});

async function main(): Promise<void> {
  const broker = await startBroker();
  const machine = `${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`@mg bench${QUICK ? ' (quick)' : ''}: ${machine}; broker: ${broker.kind}`);
  const rows: Row[] = [];
  try {
    if (ONLY !== undefined && ONLY !== 'polling' && ONLY !== 'modbus') throw new Error(`BENCH_ONLY can only be "polling" or "modbus", got "${ONLY}"`);
    if (ONLY === 'polling') {
      await polling(broker.url, machine, broker.kind);
      return;
    }
    if (ONLY === 'modbus') {
      const modbus = await modbusTable(broker.url);
      writeFileSync(OUT, `${JSON.stringify({ date: new Date().toISOString(), machine, broker: broker.kind, quick: QUICK, modbus }, null, 2)}\n`);
      console.log(`\nwrote ${OUT}`);
      return;
    }
    // Rounds: every target in turn, then again, so that a slow minute of the machine falls on all
    // of them alike; each row is the median of its rounds (./rounds.ts).
    for (let round = 1; round <= PLAN.rounds; round++) {
      console.log(`  round ${round} of ${PLAN.rounds}: ${PLAN.targets.map((t) => t.name).join(', ')} ...`);
      for (const target of PLAN.targets) {
        // Each session starts with a warm-up burst, shown in its own row: the phases after it
        // measure a process whose code the JIT has compiled, as in a gateway that has run for a while.
        const s0 = await session(target, broker.url, 0, [
          warmup(0),
          { type: 'burst', count: PLAN.burst, qos: 0 },
          ...PLAN.steady.map((rate): LoadRequest => ({ type: 'steady', rate, seconds: PLAN.seconds, qos: 0 })),
        ]);
        const s1 = await session(target, broker.url, 1, [warmup(1), { type: 'burst', count: PLAN.qos1, qos: 1 }]);
        rows.push(...rowsOf(target, s0), ...rowsOf(target, s1));
      }
    }
    for (const target of PLAN.targets.filter((t) => t.gateway)) {
      // Once per gateway: a slow and a stuck interface, after a warm-up (not shown: the rounds have it).
      console.log(`  slow and stuck interfaces: ${target.name} ...`);
      const s = await session(target, broker.url, 1, [warmup(1), slowPhase(), stuckPhase()]);
      rows.push(...rowsOf(target, s).slice(1));
    }
    const order = (r: Row) => PLAN.targets.findIndex((t) => t.name === r.target);
    const table = combineRounds(rows).sort((a, b) => order(a) - order(b));
    console.log(`  soak: ${PLAN.soak.toLocaleString('en')} messages through @mg with the dummy map ...`);
    const soak = await session(PLAN.targets[2]!, broker.url, 0, [{ type: 'steady', rate: PLAN.soakRate, seconds: PLAN.soak / PLAN.soakRate, qos: 0 }]);
    const soakResult = soak.results[0]!.result;
    console.log('  in-process conversions ...');
    const convert = join(require.resolve('@mg/core/package.json'), '..', 'bench', 'convert.js');
    const micro = existsSync(convert) ? execFileSync(process.execPath, [convert], { env: { ...process.env, N: QUICK ? '50000' : '1000000' } }).toString() : '';
    console.log('');
    console.log(formatTable(table));
    if (PLAN.rounds > 1) console.log(`\nmsg/s of each round (vs the relay in the same round):\n${formatRounds(table)}`);
    console.log('');
    console.log(
      `soak: ${soakResult.sent.toLocaleString('en')} sent, ${soakResult.lost} lost; gateway RSS ${(soak.rssStart / 2 ** 20).toFixed(1)} MB at start, ${(soak.rssEnd / 2 ** 20).toFixed(1)} MB at end (growth ${((soak.rssEnd - soak.rssStart) / 2 ** 20).toFixed(1)} MB)`,
    );
    console.log(micro.trim());
    console.log('  polling ...');
    const poll = await pollingRows(broker.url, PLAN.polling);
    console.log(`\n${formatPollingTable(poll)}`);
    const modbus = await modbusTable(broker.url);
    writeFileSync(
      OUT,
      `${JSON.stringify({ date: new Date().toISOString(), machine, broker: broker.kind, quick: QUICK, rounds: PLAN.rounds, rows: table, soak: { ...soakResult, rssStart: soak.rssStart, rssEnd: soak.rssEnd }, micro: micro.trim().split('\n'), polling: poll, modbus }, null, 2)}\n`,
    );
    console.log(`\nwrote ${OUT}`);
    // A quick run checks the harness: its figures are not a measurement to publish.
    if (!QUICK && updateDocSection(PERFORMANCE_PAGE, 'bench', formatDocSection(table))) console.log(`wrote the table to ${PERFORMANCE_PAGE}`);
    if (!QUICK) writePollingSection(poll);
  } finally {
    await broker.close();
  }
}

/** The polling rows alone (BENCH_ONLY=polling). */
async function polling(url: string, machine: string, broker: string): Promise<void> {
  console.log('  polling ...');
  const poll = await pollingRows(url, PLAN.polling);
  console.log(`\n${formatPollingTable(poll)}`);
  writeFileSync(OUT, `${JSON.stringify({ date: new Date().toISOString(), machine, broker, quick: QUICK, polling: poll }, null, 2)}\n`);
  console.log(`\nwrote ${OUT}`);
  if (!QUICK) writePollingSection(poll);
}

/** The Modbus rows, printed, and written to the performance page with UPDATE_DOCS=1 (not in a quick run). */
async function modbusTable(url: string): Promise<ModbusRow[]> {
  console.log('  modbus ...');
  const rows = await modbusRows(url, PLAN.modbus);
  console.log(`\n${formatModbusTable(rows)}`);
  if (!QUICK && updateDocSection(PERFORMANCE_PAGE, 'bench-modbus', formatModbusTable(rows))) console.log(`wrote the Modbus table to ${PERFORMANCE_PAGE}`);
  return rows;
}

function writePollingSection(poll: PollingRow[]): void {
  if (updateDocSection(PERFORMANCE_PAGE, 'bench-polling', formatPollingTable(poll))) console.log(`wrote the polling table to ${PERFORMANCE_PAGE}`);
}

main().catch((err: Error) => {
  console.error(`bench: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
