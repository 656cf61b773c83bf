import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProbeEvent, ProbeReport, ProbeRequest } from './probe-protocol.js';

const SCRIPT = join(__dirname, '..', 'dist', 'probe-gateway.js');
/** The dummy's own map file, as shipped: root testmqttgtw, strict gateway token "dummy". */
export const MAP_FILE = join(dirname(require.resolve('@mg/interface-dummy/package.json')), 'dummy.map.json');
export const ROOT = 'testmqttgtw';
/** A command the dummy map accepts; the device level carries the suite's message id. */
export const commandTopic = (id: string) => `${ROOT}/lighting/dummy/office/${id}/suite/C`;
export const STATUS_FILTER = `${ROOT}/+/+/+/+/+/S`;
/** The message id (device level) of a status topic. */
export const idOf = (topic: string) => topic.split('/')[4] ?? '';
export const AVAILABILITY = `${ROOT}/probe2mqtt/availability`;

/** A probe2mqtt.conf for a broker URL: `[MQTT]` options over the suite's defaults, then other sections. */
export function writeConf(url: string, mqtt: Record<string, string | number> = {}, sections: Record<string, Record<string, string | number>> = {}): string {
  const { hostname, port } = new URL(url);
  const all = {
    MQTT: { host: hostname, port, mapping: 'on', mapfilename: MAP_FILE, clientid: 'probe2mqtt', reconnectmin: 0.2, reconnectmax: 1, ...mqtt },
    ...sections,
    LOG: { consolelevel: 'INFO', ...sections.LOG },
  };
  const lines = Object.entries(all).flatMap(([name, options]) => [`[${name}]`, ...Object.entries(options).map(([k, v]) => `${k}: ${v}`)]);
  const file = join(mkdtempSync(join(tmpdir(), 'mg-rel-')), 'probe2mqtt.conf');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export interface ProbeProcess {
  child: ChildProcess;
  /** Ids (device names) of the commands the interface received, duplicates included. */
  received: string[];
  /** When each of `received` arrived in the suite (Date.now()). */
  receivedAt: number[];
  /** Connections the gateway made once running (the first may be missing), with the broker that answered. */
  connections: { url: string; at: number }[];
  out(): string;
  err(): string;
  /** Resolves at the first connection to the broker. */
  connected: Promise<void>;
  exit: Promise<number | null>;
  /** Sends a request and waits until the probe has carried it out. */
  request(m: Exclude<ProbeRequest, { type: 'report' }>): Promise<void>;
  report(): Promise<ProbeReport>;
  /** Linux resident set size of the process, bytes (read from /proc, so it works while busy). */
  rss(): number;
}

/** Starts probe2mqtt as a separate Node process, the way a service manager would. */
export function launchProbe(conf: string, options: { event?: boolean; env?: Record<string, string>; args?: string[] } = {}): ProbeProcess {
  const child = fork(SCRIPT, ['-c', conf, ...(options.event ? ['--event'] : []), ...(options.args ?? [])], {
    silent: true,
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...options.env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const received: string[] = [];
  const receivedAt: number[] = [];
  const connections: { url: string; at: number }[] = [];
  const waiting: Array<(e: ProbeEvent) => boolean> = [];
  child.on('message', (e: ProbeEvent) => {
    if (e.type === 'connection') connections.push({ url: e.url, at: e.at });
    if (e.type === 'received') {
      const now = Date.now();
      for (const id of e.ids) {
        received.push(id);
        receivedAt.push(now);
      }
    }
    const i = waiting.findIndex((w) => w(e));
    if (i >= 0) waiting.splice(i, 1);
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = <T extends ProbeEvent>(match: (e: ProbeEvent) => e is T, what: string) =>
    new Promise<T>((resolve, reject) => {
      void exit.then(() => reject(new Error(`probe2mqtt exited while the suite waited for ${what}; it said:\n${out}${err}`)));
      waiting.push((e) => (match(e) ? (resolve(e), true) : false));
    });
  const connected = next((e): e is { type: 'connected' } => e.type === 'connected', 'its first connection').then(() => undefined);
  connected.catch(() => undefined);
  return {
    child,
    received,
    receivedAt,
    connections,
    out: () => out,
    err: () => err,
    connected,
    exit,
    async request(m) {
      const done = next((e): e is { type: 'done'; request: string } => e.type === 'done' && e.request === m.type, m.type);
      child.send(m);
      await done;
    },
    async report() {
      const r = next((e): e is ProbeReport => e.type === 'report', 'a report');
      child.send({ type: 'report' });
      return r;
    },
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
  };
}
