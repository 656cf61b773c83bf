import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayReport, GatewayRequest } from './campaign-gateway.js';

export interface SupervisorOptions {
  /** The gateway program (dist/campaign/campaign-gateway.js). */
  script: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  /** Where each incarnation's records (`records-<n>.log`) and output (`gateway-<n>.log`) go. */
  dir: string;
  /** Delay before a restart, as a service manager's (default 100 ms; doubled, up to 5 s, while it crashes at start). */
  restartDelayMs?: number;
  log(line: string): void;
  /** The gateway process started (`gateway-up`) or ended (`gateway-down`, with how). */
  onLifecycle(kind: 'gateway-up' | 'gateway-down', incarnation: number, detail: string): void;
}

export interface Supervisor {
  /** 1 for the first process, +1 at each restart. */
  readonly incarnation: number;
  /** The process id of the running gateway, if one runs. */
  readonly pid: number | undefined;
  /** The records file of each incarnation so far. */
  recordFiles(): string[];
  /** kill -9 the gateway; resolves once it is dead (the supervisor restarts it by itself). */
  kill9(): Promise<void>;
  /** The device stalls (takes nothing) or goes on; kept for the next incarnations too. */
  stall(on: boolean): void;
  /** Device time per command (0: full speed); kept for the next incarnations too. */
  slow(ms: number): void;
  /** The gateway's memory after a collection, or undefined if it does not answer within 2 s. */
  memory(): Promise<{ rss: number; heapUsed: number } | undefined>;
  /** Stops the gateway cleanly (SIGTERM; SIGKILL after 10 s) and restarts it no more. */
  stop(): Promise<void>;
}

/** Runs the campaign gateway as a service manager would: restarted after a kill -9 or a crash. */
export function startSupervisor(o: SupervisorOptions): Supervisor {
  let child: ChildProcess | undefined;
  let incarnation = 0;
  let stopping = false;
  let killing = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let delay = o.restartDelayMs ?? 100;
  const files: string[] = [];
  const behaviour: GatewayRequest[] = [];
  const waiting = new Set<(r: GatewayReport) => void>();

  const spawnOne = () => {
    restartTimer = undefined;
    if (stopping) return;
    incarnation += 1;
    const n = incarnation;
    const records = join(o.dir, `records-${n}.log`);
    files.push(records);
    const out = openSync(join(o.dir, `gateway-${n}.log`), 'a');
    const c = fork(o.script, [...o.args], {
      stdio: ['ignore', out, out, 'ipc'],
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...o.env, CAMPAIGN_RECORDS: records },
    });
    closeSync(out);
    child = c;
    // A sick device stays sick across a restart of the gateway.
    for (const m of behaviour) c.send(m);
    c.on('message', (r: GatewayReport) => {
      for (const w of waiting) w(r);
    });
    c.on('error', (err) => o.log(`gateway ${n}: ${err.message}`));
    o.onLifecycle('gateway-up', n, `pid ${c.pid}`);
    const startedAt = Date.now();
    c.once('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (child === c) child = undefined;
      o.onLifecycle('gateway-down', n, how);
      if (stopping) return;
      if (!(killing && signal === 'SIGKILL')) o.log(`gateway ${n} crashed (${how}): see gateway-${n}.log; restarting it`);
      // A program that cannot start must not be restarted in a tight loop.
      const crashedAtStart = !killing && Date.now() - startedAt < 2_000;
      delay = crashedAtStart ? Math.min(5_000, delay * 2) : (o.restartDelayMs ?? 100);
      killing = false;
      restartTimer = setTimeout(spawnOne, delay);
    });
  };

  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

  const set = (m: GatewayRequest) => {
    const i = behaviour.findIndex((b) => b.type === m.type);
    if (i >= 0) behaviour.splice(i, 1);
    behaviour.push(m);
    if (child?.connected) child.send(m);
  };

  spawnOne();
  return {
    get incarnation() {
      return incarnation;
    },
    get pid() {
      return child?.pid;
    },
    recordFiles: () => [...files],
    async kill9() {
      const c = child;
      if (!c) return;
      killing = true;
      c.kill('SIGKILL');
      await exited(c);
    },
    stall: (on) => set({ type: 'stall', on }),
    slow: (ms) => set({ type: 'slow', ms }),
    memory() {
      const c = child;
      if (!c?.connected) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const done = (r: { rss: number; heapUsed: number } | undefined) => {
          clearTimeout(timer);
          waiting.delete(listener);
          resolve(r);
        };
        const listener = (r: GatewayReport) => r.type === 'memory' && done({ rss: r.rss, heapUsed: r.heapUsed });
        const timer = setTimeout(() => done(undefined), 2_000);
        waiting.add(listener);
        c.send({ type: 'memory' } satisfies GatewayRequest);
      });
    },
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const c = child;
      if (!c) return;
      const force = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.kill('SIGTERM');
      await exited(c);
      clearTimeout(force);
    },
  };
}
