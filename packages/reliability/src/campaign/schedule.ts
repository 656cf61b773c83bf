import { between, seededRandom, shuffled, type Random } from './prng.js';
import type { FaultKind } from './system.js';

/**
 * What a fault acts on. Two faults of one family never overlap (a broker cannot be killed while
 * it is being restarted, a gateway cannot stall while it is dead); faults of different families
 * do, which is the point: a broker restart during an interface stall, a network cut during a
 * reconnection after a gateway kill.
 */
export type FaultFamily = 'broker' | 'link' | 'gateway';

export const FAULT_FAMILY: Readonly<Record<FaultKind, FaultFamily>> = {
  'broker-kill': 'broker',
  'broker-restart': 'broker',
  'broker-state-loss': 'broker',
  'node-kill': 'broker',
  'network-cut': 'link',
  'packet-loss': 'link',
  latency: 'link',
  'gateway-kill': 'gateway',
  'interface-stall': 'gateway',
  'slow-device': 'gateway',
};

export const ALL_FAULT_KINDS = Object.keys(FAULT_FAMILY) as FaultKind[];

/** The kinds a run draws from by default: a node kill needs a cluster, a state loss Mosquitto's persistence file. */
export function defaultKinds(broker: 'mosquitto' | 'nats-cluster'): FaultKind[] {
  return ALL_FAULT_KINDS.filter((k) => (broker === 'mosquitto' ? k !== 'node-kill' : k !== 'broker-state-loss'));
}

/** One fault of the plan: when it starts, how long until its heal, and the seed of its parameters. */
export interface PlannedFault {
  index: number;
  kind: FaultKind;
  /** Start, ms after the campaign's start. */
  atMs: number;
  /** From start to heal, ms. */
  durationMs: number;
  /** Seeds the fault's own random source (its parameters: delays, loss rate, which node...). */
  seed: number;
}

export interface ScheduleOptions {
  kinds: readonly FaultKind[];
  /** Mean rate of fault starts (their times are a Poisson process, thinned by busy families). */
  faultsPerMinute: number;
  /** The gateway's keepalive: a stall must outlast it, a silent loss may or may not. */
  keepaliveS: number;
}

/**
 * Duration range of each kind, ms: short, so that a run of about 25 minutes meets 200 of each
 * (a family plays its faults one after the other, so its mean duration bounds the count).
 */
function durationRange(kind: FaultKind, keepaliveMs: number): [number, number] {
  switch (kind) {
    case 'broker-kill':
    case 'broker-restart':
    case 'broker-state-loss':
      return [100, 1500];
    case 'node-kill':
      return [500, 4000];
    case 'network-cut':
      return [200, 2500];
    case 'packet-loss':
      // Some heal before the keepalive can notice, most after.
      return [keepaliveMs * 0.5, keepaliveMs * 2];
    case 'latency':
    case 'slow-device':
      return [500, 3000];
    case 'gateway-kill':
      return [100, 1000];
    case 'interface-stall':
      return [keepaliveMs * 1.1, keepaliveMs * 2];
  }
}

/**
 * The fault plan of a seed, endless and lazy: the same seed and options give the same faults at
 * the same planned times, whatever happens at run time. Kinds come in shuffled rounds (every
 * kind once per round), so every kind gets its share; a kind whose family is busy waits for a
 * later start while another kind takes this one.
 */
export function* faultSchedule(seed: number, o: ScheduleOptions): Generator<PlannedFault> {
  if (o.kinds.length === 0) return;
  const rnd: Random = seededRandom(seed);
  const meanGapMs = 60_000 / o.faultsPerMinute;
  const freeAt: Record<FaultFamily, number> = { broker: 0, link: 0, gateway: 0 };
  let bag: FaultKind[] = [];
  let t = 0;
  for (let index = 0; ; index++) {
    if (bag.length === 0) bag = shuffled(rnd, o.kinds);
    t += -Math.log(1 - rnd()) * meanGapMs;
    let pick = bag.findIndex((k) => freeAt[FAULT_FAMILY[k]] <= t);
    if (pick < 0) {
      t = Math.min(...bag.map((k) => freeAt[FAULT_FAMILY[k]]));
      pick = bag.findIndex((k) => freeAt[FAULT_FAMILY[k]] <= t);
    }
    const kind = bag.splice(pick, 1)[0]!;
    const [min, max] = durationRange(kind, o.keepaliveS * 1000);
    const durationMs = Math.round(between(rnd, min, max));
    // A pause before the family's next fault, so the system sometimes gets to recover.
    freeAt[FAULT_FAMILY[kind]] = t + durationMs + between(rnd, 0, 500);
    yield { index, kind, atMs: Math.round(t), durationMs, seed: Math.floor(rnd() * 4294967296) };
  }
}

/** The first `n` faults of a plan (for tests and the CLI's `--plan`). */
export function firstFaults(seed: number, o: ScheduleOptions, n: number): PlannedFault[] {
  const out: PlannedFault[] = [];
  for (const f of faultSchedule(seed, o)) {
    if (out.length >= n) break;
    out.push(f);
  }
  return out;
}
