import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsMqtt } from './mqtt-ready.js';
import { freePorts } from './ports.js';

export interface NatsClusterOptions {
  /** Number of nodes; default 3 (JetStream needs a majority, so 3 survives the loss of one). */
  nodes?: number;
  /** The cluster's name; default `mg`. */
  name?: string;
  /**
   * Replicas of the MQTT streams (sessions, messages, retained); default min(nodes, 3). Left to
   * NATS, the count is the number of servers known when the first MQTT client connects: right
   * after a start that can be 2 of 3, and then losing one node stops MQTT for everyone.
   */
  streamReplicas?: number;
  /** More lines inside every node's `mqtt { }` block (`ack_wait: "5s"`, ...). */
  mqttOptions?: string[];
  /** More top-level lines for every node's config. */
  extraConfig?: string[];
  /** How long the start waits for `waitReady()`; default 30 s. */
  readyTimeoutMs?: number;
}

/** One node of the cluster: its ports, files, and what it logged. */
export interface NatsNode {
  /** 0-based, as in `cluster.nodes[index]`. */
  readonly index: number;
  /** `server_name` (`nats-0`, `nats-1`, ...): what `/jsz` reports as the meta leader. */
  readonly name: string;
  /** `mqtt://127.0.0.1:<mqttPort>` */
  readonly url: string;
  readonly mqttPort: number;
  /** NATS client port (for NATS clients; MQTT does not use it). */
  readonly clientPort: number;
  readonly clusterPort: number;
  /** HTTP monitoring port (`/healthz`, `/jsz`, `/routez`). */
  readonly monitorPort: number;
  readonly conf: string;
  readonly storeDir: string;
  readonly running: boolean;
  /** The node's process id while it runs. */
  readonly pid: number | undefined;
  readonly output: string;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's MQTT URL, in node order. */
  readonly urls: string[];
  /** Every node's MQTT port, in node order. */
  readonly ports: number[];
  /** The temp dir holding the configs and the JetStream stores. */
  readonly dir: string;
  /** SIGKILL node `i` (0-based) and wait for it to die, as in a crash. */
  kill(i: number): Promise<void>;
  /** SIGTERM node `i` and wait for it to exit. */
  stop(i: number): Promise<void>;
  /**
   * Starts node `i` if it is not running, without waiting for it to be ready (a node alone among
   * stopped ones never is: see `waitReady()` once a majority runs).
   */
  start(i: number): Promise<void>;
  /** Starts node `i` again (stopping it first if it runs), same ports and store dir; resolves when it is ready. */
  restart(i: number): Promise<void>;
  /**
   * Resolves when every running node has a JetStream meta leader and accepts an MQTT CONNECT
   * (stopped or killed nodes are not waited for).
   */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes the temp dir. */
  close(): Promise<void>;
}

export function natsServerBinary(): string {
  for (const p of ['/usr/sbin/nats-server', '/usr/local/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) if (existsSync(p)) return p;
  return 'nats-server';
}

function getJson(port: number, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** The JetStream meta leader this node knows of ('' while it has none). */
async function metaLeader(monitorPort: number): Promise<string> {
  const jsz = (await getJson(monitorPort, '/jsz').catch(() => ({}))) as { meta_cluster?: { leader?: string } };
  return jsz.meta_cluster?.leader ?? '';
}

function nodeConfig(options: {
  name: string;
  cluster: string;
  storeDir: string;
  ports: number[];
  routes: number[];
  streamReplicas: number;
  mqttOptions: string[];
  extraConfig: string[];
}): string {
  const [clientPort, clusterPort, monitorPort, mqttPort] = options.ports;
  return [
    `server_name: ${options.name}`,
    `listen: 127.0.0.1:${clientPort}`,
    `http: 127.0.0.1:${monitorPort}`,
    // Bounded stores: these are test clusters on a machine others share.
    `jetstream { store_dir: "${options.storeDir}", max_memory_store: 256MB, max_file_store: 1GB }`,
    // One node is a plain server: NATS refuses a JetStream cluster without routes.
    ...(options.routes.length === 0
      ? []
      : [
          'cluster {',
          `  name: ${options.cluster}`,
          `  listen: 127.0.0.1:${clusterPort}`,
          `  routes: [ ${options.routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')} ]`,
          '}',
        ]),
    'mqtt {',
    `  listen: 127.0.0.1:${mqttPort}`,
    `  stream_replicas: ${options.streamReplicas}`,
    ...options.mqttOptions.map((l) => `  ${l}`),
    '}',
    ...options.extraConfig,
    '',
  ].join('\n');
}

/**
 * An N-node NATS Server cluster with JetStream and MQTT (3.1.1) on free loopback ports, each node
 * with its own config file and store dir in one temp dir, for tests that kill and restart nodes.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new Error(`startNatsCluster: nodes must be a positive integer, not ${count}`);
  const dir = mkdtempSync(join(tmpdir(), 'mg-nats-'));
  const all = await freePorts(count * 4);
  const portsOf = (i: number) => all.slice(i * 4, i * 4 + 4);
  const state = Array.from({ length: count }, (_, i) => {
    const [clientPort, clusterPort, monitorPort, mqttPort] = portsOf(i) as [number, number, number, number];
    const name = `nats-${i}`;
    const storeDir = join(dir, name);
    mkdirSync(storeDir);
    const conf = join(dir, `${name}.conf`);
    const routes = Array.from({ length: count }, (_, j) => portsOf(j)[1]!).filter((_, j) => j !== i);
    writeFileSync(
      conf,
      nodeConfig({
        name,
        cluster: options.name ?? 'mg',
        storeDir,
        ports: portsOf(i),
        routes,
        streamReplicas: options.streamReplicas ?? Math.min(count, 3),
        mqttOptions: options.mqttOptions ?? [],
        extraConfig: options.extraConfig ?? [],
      }),
    );
    return {
      index: i,
      name,
      url: `mqtt://127.0.0.1:${mqttPort}`,
      mqttPort,
      clientPort,
      clusterPort,
      monitorPort,
      conf,
      storeDir,
      child: undefined as ChildProcess | undefined,
      output: '',
    };
  });
  const running = (i: number) => {
    const c = state[i]?.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  };
  const at = (i: number) => {
    const s = state[i];
    if (!s) throw new Error(`no NATS node ${i} (the cluster has nodes 0 to ${count - 1})`);
    return s;
  };
  const exited = (i: number) =>
    new Promise<void>((resolve) => {
      const c = state[i]?.child;
      if (!c || !running(i)) resolve();
      else c.once('exit', () => resolve());
    });
  const launch = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const s = at(i);
      const child = spawn(natsServerBinary(), ['-c', s.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      s.child = child;
      child.stdout.on('data', (d: Buffer) => (s.output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (s.output += d.toString()));
      child.once('error', (err) =>
        reject(new Error(`cannot run ${natsServerBinary()}: ${err.message} (install the Debian package nats-server; .ci/run does)`)),
      );
      child.once('spawn', () => resolve());
    });
  const signal = async (i: number, sig: NodeJS.Signals) => {
    if (!running(i)) return;
    at(i).child!.kill(sig);
    await exited(i);
  };
  const stop = async (i: number) => {
    at(i);
    const timer = setTimeout(() => state[i]?.child?.kill('SIGKILL'), 10_000);
    await signal(i, 'SIGTERM');
    clearTimeout(timer);
  };
  const nodeReady = async (i: number) => {
    const s = at(i);
    if (!running(i)) throw new Error(`${s.name} exited: ${s.output.slice(-2_000)}`);
    // A leader that was just killed is still reported for a while: only a running one counts.
    // (A single node has no meta cluster.)
    const leader = count === 1 ? s.name : await metaLeader(s.monitorPort);
    return state.some((o) => o.name === leader && running(o.index)) && (await acceptsMqtt(s.url));
  };
  const waitNodes = async (indices: number[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(indices);
    for (;;) {
      for (const i of [...pending]) if (await nodeReady(i)) pending.delete(i);
      if (pending.size === 0) return;
      if (Date.now() > deadline) {
        const names = [...pending].map((i) => state[i]!.name).join(', ');
        throw new Error(
          `NATS nodes not ready after ${timeoutMs} ms (no JetStream meta leader or no CONNACK): ${names}; last output: ${state[[...pending][0]!]!.output.slice(-2_000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const nodes: NatsNode[] = state.map((s) => ({
    index: s.index,
    name: s.name,
    url: s.url,
    mqttPort: s.mqttPort,
    clientPort: s.clientPort,
    clusterPort: s.clusterPort,
    monitorPort: s.monitorPort,
    conf: s.conf,
    storeDir: s.storeDir,
    get running() {
      return running(s.index);
    },
    get pid() {
      return running(s.index) ? s.child?.pid : undefined;
    },
    get output() {
      return s.output;
    },
  }));
  const cluster: NatsCluster = {
    nodes,
    urls: state.map((s) => s.url),
    ports: state.map((s) => s.mqttPort),
    dir,
    async kill(i) {
      at(i);
      await signal(i, 'SIGKILL');
    },
    stop,
    async start(i) {
      if (!running(i)) await launch(i);
    },
    async restart(i) {
      await stop(i);
      await launch(i);
      await waitNodes([i], options.readyTimeoutMs ?? 30_000);
    },
    waitReady: (timeoutMs = options.readyTimeoutMs ?? 30_000) => waitNodes(state.map((s) => s.index).filter(running), timeoutMs),
    async close() {
      await Promise.all(state.map((s) => stop(s.index)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // All at once: each node waits for its routes, and JetStream elects a leader once a majority is up.
    await Promise.all(state.map((s) => launch(s.index)));
    await cluster.waitReady();
  } catch (err) {
    await cluster.close();
    throw err;
  }
  return cluster;
}
