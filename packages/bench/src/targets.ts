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
  spawn(url: string, qos: 0 | 1): ChildProcess;
}

const dir = mkdtempSync(join(tmpdir(), 'mg-bench-'));

/** The dummy's map, under the bench root. */
function dummyMap(): string {
  const pkg = require.resolve('@mg/interface-dummy/package.json');
  const map = JSON.parse(readFileSync(join(dirname(pkg), 'dummy.map.json'), 'utf8')) as { root: string; topics: string[] };
  const path = join(dir, 'bench.map.json');
  writeFileSync(path, JSON.stringify({ ...map, root: ROOT, topics: map.topics.map((t) => t.replace(/^testmqttgtw\//, `${ROOT}/`)) }));
  return path;
}

function gatewayConf(url: string, qos: 0 | 1, mapping: boolean, name: string): string {
  const { hostname, port } = new URL(url);
  const lines = [
    '[MQTT]',
    `host: ${hostname}`,
    `port: ${port}`,
    `clientid: bench-${name}-${process.pid}`,
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
  return path;
}

const script = (name: string) => join(__dirname, 'targets', `${name}.js`);

export const TARGETS: TargetSpec[] = [
  { name: 'raw MQTT.js relay', gateway: false, spawn: (url, qos) => fork(script('relay'), [url, String(qos)], { stdio: 'inherit' }) },
  { name: '@mg, no map', gateway: true, spawn: (url, qos) => fork(script('gateway'), [gatewayConf(url, qos, false, 'nomap'), 'event'], { stdio: 'inherit' }) },
  { name: '@mg, dummy map', gateway: true, spawn: (url, qos) => fork(script('gateway'), [gatewayConf(url, qos, true, 'map'), 'event'], { stdio: 'inherit' }) },
  {
    name: '@mg, dummy map, polling',
    gateway: true,
    spawn: (url, qos) => fork(script('gateway'), [gatewayConf(url, qos, true, 'poll'), 'polling'], { stdio: 'inherit' }),
  },
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
