import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COMMAND_FILTER, ROOT, type ProcessStats } from './protocol.js';

/** The keepalive of the QoS 1 sessions; the stuck phase stops pulling for twice as long. */
export const STUCK_KEEPALIVE_S = 2;

export interface TargetSpec {
  name: string;
  /** A gateway with an interface whose behaviour can be set per phase (slow, stuck). */
  gateway: boolean;
  /** Starts the target process for a broker URL and a QoS. */
  spawn(url: string, qos: 0 | 1): Target;
}

interface Target {
  process: ChildProcess;
  /**
   * The client id of a persistent session (QoS 1 gateways), which the orchestrator ends once the
   * target is gone: left at the broker, it would queue every later session's commands and hand
   * them to the next process with that id.
   */
  persistentClientId?: string;
}

/** Each session its own client id, so that none resumes another's. */
let sessions = 0;

const dir = mkdtempSync(join(tmpdir(), 'mg-bench-'));

/** The dummy's map, under the bench root. */
function dummyMap(): string {
  const pkg = require.resolve('@mg/interface-dummy/package.json');
  const map = JSON.parse(readFileSync(join(dirname(pkg), 'dummy.map.json'), 'utf8')) as { root: string; topics: string[] };
  const path = join(dir, 'bench.map.json');
  writeFileSync(path, JSON.stringify({ ...map, root: ROOT, topics: map.topics.map((t) => t.replace(/^testmqttgtw\//, `${ROOT}/`)) }));
  return path;
}

export function gatewayConf(url: string, qos: 0 | 1, mapping: boolean, name: string): { path: string; clientId: string } {
  const { hostname, port } = new URL(url);
  const clientId = `bench-${name}-${process.pid}-${++sessions}`;
  const lines = [
    '[MQTT]',
    `host: ${hostname}`,
    `port: ${port}`,
    `clientid: ${clientId}`,
    // QoS 1 sessions are persistent, with a short keepalive: the stuck-interface phase outlasts it.
    ...(qos === 1 ? ['clean: off', `keepalive: ${STUCK_KEEPALIVE_S}`] : []),
    `subqos: ${qos}`,
    `pubqos: ${qos}`,
    'statsinterval: 0',
    'availabilitytopic:',
    'outboxsize: 1000000',
    ...(mapping ? ['mapping: on', `mapfilename: ${dummyMap()}`] : ['mapping: off', `root: ${ROOT}`, `topics: ${COMMAND_FILTER}`]),
    '[LOG]',
    'consolelevel: NONE',
  ];
  const path = join(dir, `${name}-${qos}.conf`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, clientId };
}

function gateway(url: string, qos: 0 | 1, mapping: boolean, name: string, mode: 'event' | 'polling'): Target {
  const conf = gatewayConf(url, qos, mapping, name);
  const child = fork(script('gateway'), [conf.path, mode], { stdio: 'inherit' });
  return { process: child, persistentClientId: qos === 1 ? conf.clientId : undefined };
}

const script = (name: string) => join(__dirname, 'targets', `${name}.js`);

export const TARGETS: TargetSpec[] = [
  { name: 'raw MQTT.js relay', gateway: false, spawn: (url, qos) => ({ process: fork(script('relay'), [url, String(qos)], { stdio: 'inherit' }) }) },
  { name: '@mg, no map', gateway: true, spawn: (url, qos) => gateway(url, qos, false, 'nomap', 'event') },
  { name: '@mg, dummy map', gateway: true, spawn: (url, qos) => gateway(url, qos, true, 'map', 'event') },
  { name: '@mg, dummy map, polling', gateway: true, spawn: (url, qos) => gateway(url, qos, true, 'poll', 'polling') },
];

/** Waits for one IPC message of a type. */
export function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`process exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function statsOf(child: ChildProcess): Promise<ProcessStats> {
  const reply = next<{ stats: ProcessStats }>(child, 'stats');
  child.send({ type: 'stats' });
  return (await reply).stats;
}
