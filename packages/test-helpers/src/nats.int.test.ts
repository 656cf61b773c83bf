import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connectClient, startNatsCluster, waitFor, type NatsCluster } from './index.js';

/** What a node's monitoring port says about its routes (how many peers it is connected to). */
function routes(monitorPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: monitorPort, path: '/routez' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve((JSON.parse(body) as { num_routes: number }).num_routes));
    }).on('error', reject);
  });
}

describe('startNatsCluster', () => {
  let cluster: NatsCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('starts 3 nodes that relay a QoS 1 message from node 1 to a persistent-session subscriber on node 3', async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    expect(cluster.urls).toHaveLength(3);
    expect(new Set(cluster.ports).size).toBe(3);
    for (const node of cluster.nodes) {
      expect(readFileSync(node.conf, 'utf8')).toMatch(/mqtt \{\n {2}listen: 127\.0\.0\.1:\d+/);
      expect(await routes(node.monitorPort)).toBe(2);
    }
    const sub = await connectClient(cluster.urls[2]!, { clientId: 'nats-helper-sub', clean: false });
    await sub.subscribe('helper/qos1', 1);
    await sub.end();
    // Sent while the subscriber is away: only its persistent session can deliver it.
    const pub = await connectClient(cluster.urls[0]!);
    await pub.publish('helper/qos1', 'across the cluster', { qos: 1 });
    await pub.end();
    const back = await connectClient(cluster.urls[2]!, { clientId: 'nats-helper-sub', clean: false });
    try {
      const m = await back.waitFor((r) => r.topic === 'helper/qos1', 'the QoS 1 message kept by the session');
      expect(m.payload).toBe('across the cluster');
    } finally {
      await back.end();
    }
  }, 60_000);

  it('restarts a killed node on the same ports and store, and it rejoins the cluster', async () => {
    cluster = await startNatsCluster({ nodes: 3 });
    const node = cluster.nodes[0]!;
    await cluster.kill(0);
    expect(node.running).toBe(false);
    // The peers drop the route once they have read the closed socket: not at once.
    await waitFor(async () => (await routes(cluster!.nodes[1]!.monitorPort)) === 1, 'node 2 left with one route', 10_000);
    // Two of three still hold the JetStream majority: MQTT keeps working on the others.
    await cluster.waitReady(20_000);
    await cluster.restart(0);
    expect(node.running).toBe(true);
    expect(existsSync(node.storeDir)).toBe(true);
    await waitFor(async () => (await routes(node.monitorPort)) === 2, 'the restarted node routed to both others', 10_000);
    const sub = await connectClient(cluster.urls[1]!);
    await sub.subscribe('helper/rejoined', 1);
    const pub = await connectClient(node.url);
    await pub.publish('helper/rejoined', 'back', { qos: 1 });
    try {
      await sub.waitFor((r) => r.topic === 'helper/rejoined', 'a message from the restarted node');
    } finally {
      await pub.end();
      await sub.end();
    }
  }, 60_000);

  it('runs a single node without a cluster block, and removes its processes and directory on close', async () => {
    cluster = await startNatsCluster({ nodes: 1 });
    expect(readFileSync(cluster.nodes[0]!.conf, 'utf8')).not.toContain('cluster {');
    const c = await connectClient(cluster.urls[0]!);
    await c.end();
    const { dir, nodes } = cluster;
    await cluster.close();
    cluster = undefined;
    expect(nodes.every((n) => !n.running)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  }, 60_000);
});
