import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

export interface MosquittoOptions {
  /** Port; default a free one. */
  port?: number;
  /** Keep messages and sessions on disk across restarts (in the broker's own temp dir). */
  persistence?: boolean;
  /** More lines for mosquitto.conf (a listener's options, password_file, ...). */
  extraConfig?: string[];
  /** Write the default `listener <port> 127.0.0.1` line. Default true. */
  defaultListener?: boolean;
}

export interface Mosquitto {
  port: number;
  url: string;
  dir: string;
  /** The broker's process id while it runs. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Starts the broker again after a stop or kill (same port, same persistence). */
  start(): Promise<void>;
  /** SIGKILL: the broker dies at once, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM and wait for exit (saves persistence). */
  stop(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
  readonly output: string;
}

export function mosquittoBinary(): string {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  return 'mosquitto';
}

/** A private mosquitto on its own port, for tests that stop, kill or reconfigure the broker. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'mg-mosquitto-'));
  // mosquitto started as root drops to its own user, which must be able to write here.
  chmodSync(dir, 0o777);
  const conf = join(dir, 'mosquitto.conf');
  const lines = [
    ...(options.defaultListener === false ? [] : [`listener ${port} 127.0.0.1`, 'allow_anonymous true']),
    `persistence ${options.persistence ? 'true' : 'false'}`,
    // Save after every change: a test that kills the broker must find what it stored.
    ...(options.persistence ? [`persistence_location ${dir}/`, 'autosave_on_changes true', 'autosave_interval 1'] : []),
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'set_tcp_nodelay true',
    ...(options.extraConfig ?? []),
  ];
  writeFileSync(conf, `${lines.join('\n')}\n`);
  let child: ChildProcess | undefined;
  let output = '';
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  const broker: Mosquitto = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    get pid() {
      return running() ? child?.pid : undefined;
    },
    get running() {
      return running();
    },
    get output() {
      return output;
    },
    async start() {
      child = spawn(mosquittoBinary(), ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      await waitForPort(port, 10_000).catch((err: Error) => {
        child?.kill('SIGKILL');
        throw new Error(`${err.message}; mosquitto said: ${output}`);
      });
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child?.kill('SIGTERM');
      await exited();
    },
    async dispose() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}
