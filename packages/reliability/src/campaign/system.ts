import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTcpProxy, type TcpProxy } from '@mg/test-helpers';
import { mosquittoNodes, natsNodes, type BrokerNodes } from './brokers.js';
import { createFaults } from './faults.js';
import { startSupervisor, type Supervisor } from './supervisor.js';
import { createTap, type TapEvent } from './tap.js';

export type FaultKind =
  | 'broker-kill'
  | 'broker-restart'
  | 'network-cut'
  | 'packet-loss'
  | 'latency'
  | 'gateway-kill'
  | 'interface-stall'
  | 'slow-device'
  | 'node-kill'
  | 'broker-state-loss';
export interface SystemOptions {
  mode: 'event' | 'polling';
  broker: 'mosquitto' | 'nats-cluster';
  dir: string; // a fresh temp dir for configs, logs, persistence, delivery files
  keepaliveS?: number; // gateway keepalive (small, e.g. 2-3 s, so half-open links are found)
  acknowledge?: 'received' | 'taken'; // passed to [MQTT] acknowledge once `flow` has it
  core?: string; // the entry file of another build of @mg/core for the gateway (a release, a mutant)
  log(line: string): void; // everything notable (faults, restarts), for the failing-run window
}
export interface HistoryEvent {
  at: number;
  kind:
    | 'crossed'
    | 'broker-sent'
    | 'read'
    | 'delivered'
    | 'replied'
    | 'reply-acked'
    | 'gateway-up'
    | 'gateway-down'
    | 'connack'
    | 'connected'
    | 'disconnected'
    | 'gateway-acked';
  id?: string;
  incarnation?: number;
  detail?: string;
  /** A CONNACK (`connack`): the broker kept the gateway's session. */
  sessionPresent?: boolean;
}
export interface ActiveFault {
  kind: FaultKind;
  startedAt: number;
  heal(): Promise<void>;
} // heal idempotent
export interface CampaignSystem {
  clientUrls: string[]; // for the campaign's own clients: straight to the broker (all nodes of a cluster)
  kinds: FaultKind[]; // kinds this broker supports (node-kill only on nats-cluster)
  command(id: string): { topic: string; payload: Buffer; properties?: object }; // what a sender publishes (QoS 1)
  statusFilter: string; // what a receiver subscribes to (QoS 1, persistent session)
  replyId(topic: string, payload: Buffer, packet: object): string | undefined; // the command id a reply answers
  inject(kind: FaultKind, rnd: () => number): Promise<ActiveFault>; // starts it now; parameters drawn from rnd
  onHistory(listener: (e: HistoryEvent) => void): () => void; // live, best effort
  records(): Promise<HistoryEvent[]>; // authoritative at the end: delivered/replied read back from the
  // files the gateway wrote with writeSync (survive kill -9)
  gatewayMemory(): Promise<{ rss: number; heapUsed: number } | undefined>;
  stop(): Promise<void>; // heals everything, stops gateway (cleanly), brokers, proxies
}

/** The gateway program, built (from src/campaign under jest, or dist/campaign, it is the same path). */
const GATEWAY = join(__dirname, '..', '..', 'dist', 'campaign', 'campaign-gateway.js');
const ROOT = 'campaign';
/** Commands: one topic; the id is the payload's correlation, which the reply carries back. */
const COMMAND_TOPIC = `${ROOT}/lighting/gw/site/lamp/campaign/C`;
const KINDS: Record<SystemOptions['broker'], FaultKind[]> = {
  mosquitto: ['broker-kill', 'broker-restart', 'network-cut', 'packet-loss', 'latency', 'gateway-kill', 'interface-stall', 'slow-device', 'broker-state-loss'],
  'nats-cluster': ['broker-kill', 'broker-restart', 'network-cut', 'packet-loss', 'latency', 'gateway-kill', 'interface-stall', 'slow-device', 'node-kill'],
};

/** The `correlation` of a JSON payload, or undefined. */
function correlationOf(payload: Buffer): string | undefined {
  try {
    const c = (JSON.parse(payload.toString('utf8')) as { correlation?: unknown }).correlation;
    return typeof c === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway's configuration: QoS 1 both ways, persistent session, every node through its relay. */
function gatewayConf(o: SystemOptions, proxies: readonly TcpProxy[]): string {
  const mqtt: Record<string, string | number> = {
    host: proxies.map((p) => `127.0.0.1:${p.port}`).join(', '),
    clientid: 'campaign-gateway',
    clean: 'off',
    subqos: 1,
    pubqos: 1,
    keepalive: o.keepaliveS ?? 2,
    root: ROOT,
    topics: `${ROOT}/+/+/+/+/+/C`,
    reconnectmin: 0.2,
    reconnectmax: 1,
    // Small, so that a stalled or slow device fills it and the gateway stops reading: the
    // held-messages path is what the campaign is for.
    incomingsize: 50,
    // Replies wait here while the broker is away: none may be dropped for want of room.
    outboxsize: 1_000_000,
    statsinterval: 0,
    ...(o.acknowledge ? { acknowledge: o.acknowledge } : {}),
  };
  const sections = { MQTT: mqtt, LOG: { consolelevel: 'INFO' } };
  const text = Object.entries(sections).flatMap(([name, options]) => [`[${name}]`, ...Object.entries(options).map(([k, v]) => `${k}: ${v}`)]);
  const file = join(o.dir, 'campaign2mqtt.conf');
  writeFileSync(file, `${text.join('\n')}\n`);
  return file;
}

/**
 * Reads the records files as they grow: `<at> read|delivered|replied <id>` lines, one file per
 * incarnation (incarnation n is file n). Only whole lines are taken; the rest waits for more.
 */
function recordReader(files: () => readonly string[], emit: (e: HistoryEvent) => void): () => void {
  const read = new Map<string, { offset: number; rest: string }>();
  return () => {
    files().forEach((file, i) => {
      const state = read.get(file) ?? { offset: 0, rest: '' };
      read.set(file, state);
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch {
        return; // not opened yet, or an incarnation killed before it opened it
      }
      try {
        const size = fstatSync(fd).size;
        if (size <= state.offset) return;
        const buffer = Buffer.alloc(size - state.offset);
        const n = readSync(fd, buffer, 0, buffer.length, state.offset);
        state.offset += n;
        const lines = (state.rest + buffer.subarray(0, n).toString('utf8')).split('\n');
        state.rest = lines.pop() ?? '';
        for (const line of lines) {
          const [at, kind, id] = line.split(' ');
          if ((kind === 'read' || kind === 'delivered' || kind === 'replied') && id) emit({ at: Number(at), kind, id, incarnation: i + 1 });
        }
      } finally {
        closeSync(fd);
      }
    });
  };
}

function checkOptions(o: SystemOptions): void {
  const problems = [
    o.mode !== 'event' && o.mode !== 'polling' ? `mode must be event or polling, not ${String(o.mode)}` : '',
    o.broker !== 'mosquitto' && o.broker !== 'nats-cluster' ? `broker must be mosquitto or nats-cluster, not ${String(o.broker)}` : '',
    typeof o.dir !== 'string' || o.dir === '' ? 'dir must name a directory' : '',
    o.keepaliveS !== undefined && !(Number.isInteger(o.keepaliveS) && o.keepaliveS > 0) ? `keepaliveS must be a positive integer, not ${o.keepaliveS}` : '',
    o.acknowledge !== undefined && o.acknowledge !== 'received' && o.acknowledge !== 'taken'
      ? `acknowledge must be received or taken, not ${String(o.acknowledge)}`
      : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`startCampaignSystem: ${problems.join('; ')}`);
}

/**
 * The system under test of the fault campaign: brokers, one relay per node, the gateway under
 * its supervisor, the tap on the relays, and the faults. Everything started is stopped if the
 * start fails, by stop(), and killed at the latest when this process exits.
 */
export async function startCampaignSystem(o: SystemOptions): Promise<CampaignSystem> {
  checkOptions(o);
  mkdirSync(o.dir, { recursive: true });
  const events: HistoryEvent[] = [];
  const listeners = new Set<(e: HistoryEvent) => void>();
  const closers: Array<() => Promise<void>> = [];
  let supervisor: Supervisor | undefined;
  let brokers: BrokerNodes | undefined;
  let subscribed: (() => void) | undefined;
  const emit = (e: HistoryEvent) => {
    events.push(e);
    for (const l of listeners) l(e);
  };
  // The last resort (a test process that dies, a failed start): no broker or gateway outlives us.
  const killAll = () => {
    for (const pid of [...(brokers?.pids() ?? []), supervisor?.pid]) {
      try {
        if (pid !== undefined) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: Error) => o.log(`stop: ${err.message}`));
    closers.length = 0;
    process.off('exit', killAll);
  };

  try {
    const nodes = o.broker === 'mosquitto' ? await mosquittoNodes() : await natsNodes();
    brokers = nodes;
    closers.push(() => nodes.close());
    const proxies: TcpProxy[] = [];
    for (let i = 0; i < brokers.ports.length; i++) {
      const tap = createTap({
        node: `node ${i + 1}`,
        commandId: (topic, payload) => (topic === COMMAND_TOPIC ? correlationOf(payload) : undefined),
        replyId: (topic, payload) => (topic.endsWith('/S') ? correlationOf(payload) : undefined),
        emit: (e: TapEvent) => {
          emit({ at: Date.now(), ...e, incarnation: supervisor?.incarnation });
          if (e.kind === 'connected') subscribed?.();
        },
        onError: (line) => o.log(line),
      });
      const proxy = await startTcpProxy(brokers.ports[i]!, '127.0.0.1', tap);
      closers.push(() => proxy.close());
      proxies.push(proxy);
    }
    const conf = gatewayConf(o, proxies);
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    supervisor = startSupervisor({
      script: GATEWAY,
      args: ['-c', conf],
      env: { CAMPAIGN_MODE: o.mode, ...(o.core ? { CAMPAIGN_CORE: o.core } : {}) },
      dir: o.dir,
      log: (line) => o.log(line),
      onLifecycle: (kind, incarnation, detail) => {
        emit({ at: Date.now(), kind, incarnation, detail });
        o.log(`${kind} ${incarnation}: ${detail}`);
      },
    });
    const started = supervisor;
    closers.push(() => started.stop());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        const said = () => readFileSync(join(o.dir, 'gateway-1.log'), 'utf8').slice(-2_000);
        timer = setTimeout(() => reject(new Error(`the campaign gateway did not subscribe within 30 s; it said:\n${said()}`)), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    subscribed = undefined;
    const faults = createFaults({ brokers: nodes, proxies, supervisor, log: (line) => o.log(line) });
    const sup = supervisor;
    // The files are the record (they survive a kill -9); read as they grow for live listeners.
    const readRecords = recordReader(() => sup.recordFiles(), emit);
    const tail = setInterval(readRecords, 200);
    closers.push(async () => (clearInterval(tail), readRecords()));
    return {
      clientUrls: [...brokers.urls],
      kinds: [...KINDS[o.broker]],
      command: (id) => ({ topic: COMMAND_TOPIC, payload: Buffer.from(JSON.stringify({ action: 'LIGHT_ON', correlation: id })) }),
      statusFilter: `${ROOT}/+/+/+/+/+/S`,
      replyId: (_topic, payload) => correlationOf(payload),
      inject: (kind, rnd) => {
        if (!KINDS[o.broker].includes(kind)) return Promise.reject(new Error(`fault ${kind} is not one of ${o.broker}'s: ${KINDS[o.broker].join(', ')}`));
        return faults.inject(kind, rnd);
      },
      onHistory(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async records() {
        readRecords();
        return [...events].sort((a, b) => a.at - b.at);
      },
      gatewayMemory: () => sup.memory(),
      async stop() {
        await faults.healAll();
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
