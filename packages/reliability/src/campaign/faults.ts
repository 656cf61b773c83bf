import type { ProxyLatency, TcpProxy } from '@mg/test-helpers';
import type { BrokerNodes } from './brokers.js';
import type { Supervisor } from './supervisor.js';
import type { ActiveFault, FaultKind } from './system.js';

export interface FaultTargets {
  brokers: BrokerNodes;
  /** One relay per broker node, in node order: the gateway's only way to the brokers. */
  proxies: readonly TcpProxy[];
  supervisor: Supervisor;
  log(line: string): void;
}

/** A small seeded generator (mulberry32), for what draws numbers long after the fault began. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs async steps one after the other (a heal must not start a node an inject is killing). */
function serial(): <T>(step: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (step) => {
    const run = tail.then(step, step);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The faults, which may overlap: each holds what it changed (a node down, a link cut) and its
 * heal releases it; a node starts again, a link comes back, only once no fault holds it.
 */
export function createFaults(t: FaultTargets): { inject(kind: FaultKind, rnd: () => number): Promise<ActiveFault>; healAll(): Promise<void> } {
  const count = t.brokers.ports.length;
  const nodeHolds = Array.from({ length: count }, () => new Set<symbol>());
  const cuts = new Set<symbol>();
  const losses = new Set<symbol>();
  const latencies = new Map<symbol, ProxyLatency>();
  const stalls = new Set<symbol>();
  const slows = new Map<symbol, number>();
  const active = new Set<ActiveFault>();
  const brokerStep = serial();
  const linkStep = serial();
  let number = 0;

  const downNodes = (nodes: number[], token: symbol, how: 'kill' | 'terminate', wipe: boolean) =>
    brokerStep(async () => {
      for (const i of nodes) nodeHolds[i]!.add(token);
      const running = nodes.filter((i) => t.brokers.running(i));
      await Promise.all(running.map((i) => (how === 'kill' ? t.brokers.kill(i) : t.brokers.terminate(i))));
      if (wipe) for (const i of nodes) t.brokers.wipe(i);
    });
  const releaseNodes = async (token: symbol) => {
    await brokerStep(async () => {
      const free = nodeHolds.flatMap((holds, i) => (holds.delete(token) && holds.size === 0 && !t.brokers.running(i) ? [i] : []));
      await Promise.all(free.map((i) => t.brokers.start(i)));
    });
    // Outside the queue: a cluster may take seconds to elect a leader, and other faults go on.
    await t.brokers.settle().catch((err: Error) => t.log(`brokers not ready after a heal: ${err.message}`));
  };

  /** Applies what the link faults in force say, to every relay. */
  const applyLinks = () =>
    linkStep(async () => {
      const latency = [...latencies.values()].reduce<ProxyLatency | undefined>((max, l) => (!max || l.ms > max.ms ? l : max), undefined);
      for (const p of t.proxies) {
        p.setLatency(latency);
        p.setLoss(losses.size > 0);
        await (cuts.size > 0 ? p.cut() : p.restore());
      }
    });

  const applyDevice = () => {
    t.supervisor.stall(stalls.size > 0);
    t.supervisor.slow(Math.max(0, ...slows.values()));
  };

  /** Starts one fault; returns what it changed, in words, and how to undo it. */
  const start = async (kind: FaultKind, rnd: () => number, token: symbol): Promise<{ what: string; undo(): Promise<void> }> => {
    const all = Array.from({ length: count }, (_, i) => i);
    switch (kind) {
      case 'broker-kill':
        await downNodes(all, token, 'kill', false);
        return { what: 'broker killed -9 (all nodes)', undo: () => releaseNodes(token) };
      case 'broker-restart':
        await downNodes(all, token, 'terminate', false);
        return { what: 'broker stopped cleanly (SIGTERM, all nodes)', undo: () => releaseNodes(token) };
      case 'broker-state-loss':
        if (t.brokers.kind !== 'mosquitto') throw new Error('broker-state-loss is a Mosquitto fault');
        await downNodes(all, token, 'kill', true);
        return { what: 'broker killed -9 and its persistence removed', undo: () => releaseNodes(token) };
      case 'node-kill': {
        if (count < 2) throw new Error('node-kill needs a cluster');
        const i = Math.floor(rnd() * count);
        await downNodes([i], token, 'kill', false);
        return { what: `node ${i + 1} killed -9`, undo: () => releaseNodes(token) };
      }
      case 'network-cut':
        cuts.add(token);
        await applyLinks();
        return { what: 'network cut both ways', undo: async () => (cuts.delete(token), await applyLinks()) };
      case 'packet-loss':
        losses.add(token);
        await applyLinks();
        return { what: 'silent loss (half-open links)', undo: async () => (losses.delete(token), await applyLinks()) };
      case 'latency': {
        const ms = 20 + Math.floor(rnd() * 280);
        const jitterMs = Math.floor(rnd() * ms);
        // Its own generator: the relay draws per chunk, a count the campaign's seed does not fix.
        latencies.set(token, { ms, jitterMs, random: seeded(Math.floor(rnd() * 2 ** 32)) });
        await applyLinks();
        return { what: `latency ${ms} ms + up to ${jitterMs} ms jitter`, undo: async () => (latencies.delete(token), await applyLinks()) };
      }
      case 'gateway-kill': {
        const n = t.supervisor.incarnation;
        await t.supervisor.kill9();
        return { what: `gateway ${n} killed -9 (the supervisor restarts it)`, undo: async () => undefined };
      }
      case 'interface-stall':
        stalls.add(token);
        applyDevice();
        return { what: 'interface stalled (takes nothing)', undo: async () => (stalls.delete(token), applyDevice()) };
      case 'slow-device': {
        const ms = 2 + Math.floor(rnd() * 48);
        slows.set(token, ms);
        applyDevice();
        return { what: `slow device (${ms} ms per command)`, undo: async () => (slows.delete(token), applyDevice()) };
      }
    }
  };

  return {
    async inject(kind, rnd) {
      const n = ++number;
      const token = Symbol(`${kind} #${n}`);
      const started = await start(kind, rnd, token);
      const what = started.what;
      const startedAt = Date.now();
      t.log(`fault #${n} ${kind}: ${what}`);
      let healing: Promise<void> | undefined;
      const fault: ActiveFault = {
        kind,
        startedAt,
        heal() {
          healing ??= started.undo().then(
            () => {
              active.delete(fault);
              t.log(`fault #${n} ${kind} healed after ${Date.now() - startedAt} ms`);
            },
            (err: Error) => {
              active.delete(fault);
              t.log(`fault #${n} ${kind}: heal failed: ${err.message}`);
              throw err;
            },
          );
          return healing;
        },
      };
      active.add(fault);
      return fault;
    },
    async healAll() {
      await Promise.all([...active].map((f) => f.heal().catch(() => undefined)));
    },
  };
}
