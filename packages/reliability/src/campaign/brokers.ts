import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquitto, startNatsCluster, type Mosquitto, type NatsCluster } from '@mg/test-helpers';

/** The broker of a campaign, Mosquitto alone or the nodes of a NATS cluster, node by node. */
export interface BrokerNodes {
  readonly kind: 'mosquitto' | 'nats-cluster';
  /** Every node's MQTT port, in node order. */
  readonly ports: readonly number[];
  readonly urls: readonly string[];
  running(i: number): boolean;
  /** Process ids of the nodes that run (for a last-resort cleanup). */
  pids(): number[];
  /** SIGKILL, as in a crash; resolves once dead. */
  kill(i: number): Promise<void>;
  /** SIGTERM, a clean shutdown (Mosquitto saves its persistence); resolves once exited. */
  terminate(i: number): Promise<void>;
  /** Starts a node that does not run (same port, same store). */
  start(i: number): Promise<void>;
  /** Resolves when what runs serves MQTT (a cluster: a meta leader, when a majority runs). */
  settle(): Promise<void>;
  /** Removes a stopped node's persistence: at its next start it knows no session, no message. */
  wipe(i: number): void;
  close(): Promise<void>;
}

/**
 * Mosquitto with persistence saved every second, and no bound on the messages it queues for a
 * persistent session (its default, 1,000, drops the rest silently during a long outage of the
 * gateway: that would be a loss of the test's making). Not saved at every change, as the other
 * suites do: each save writes the whole state, so under load the broker spent its time saving
 * (in disk wait), answered pings seconds late, and the gateways' keepalives gave up on it; a
 * kill -9 now loses what the broker acknowledged since its last save (the checker's
 * KILL_WINDOW_MS), which is the broker's loss, counted apart.
 */
export async function mosquittoNodes(): Promise<BrokerNodes> {
  const broker: Mosquitto = await startMosquitto({
    persistence: true,
    extraConfig: ['max_queued_messages 0', 'autosave_on_changes false', 'autosave_interval 1'],
  });
  const only = (i: number) => {
    if (i !== 0) throw new Error(`Mosquitto has one node (0), not ${i}`);
  };
  return {
    kind: 'mosquitto',
    ports: [broker.port],
    urls: [broker.url],
    running: (i) => (only(i), broker.running),
    pids: () => (broker.pid === undefined ? [] : [broker.pid]),
    kill: async (i) => (only(i), await broker.kill()),
    terminate: async (i) => (only(i), await broker.stop()),
    async start(i) {
      only(i);
      if (!broker.running) await broker.start();
    },
    settle: async () => undefined,
    wipe(i) {
      only(i);
      if (broker.running) throw new Error('wipe: Mosquitto still runs (kill it first)');
      rmSync(join(broker.dir, 'mosquitto.db'), { force: true });
    },
    close: () => broker.dispose(),
  };
}

/** A 3-node NATS 2.9 cluster (JetStream, MQTT, streams replicated 3 times). */
export async function natsNodes(): Promise<BrokerNodes> {
  const cluster: NatsCluster = await startNatsCluster({ nodes: 3 });
  const count = cluster.nodes.length;
  return {
    kind: 'nats-cluster',
    ports: cluster.ports,
    urls: cluster.urls,
    running: (i) => cluster.nodes[i]?.running ?? false,
    pids: () => cluster.nodes.flatMap((n) => (n.pid === undefined ? [] : [n.pid])),
    kill: (i) => cluster.kill(i),
    terminate: (i) => cluster.stop(i),
    start: (i) => cluster.start(i),
    async settle() {
      // A minority alone never elects a leader: it waits for the other nodes' start.
      if (cluster.nodes.filter((n) => n.running).length * 2 > count) await cluster.waitReady();
    },
    wipe(i) {
      const node = cluster.nodes[i];
      if (!node || node.running) throw new Error(`wipe: NATS node ${i} runs or does not exist`);
      rmSync(node.storeDir, { recursive: true, force: true });
    },
    close: () => cluster.close(),
  };
}
