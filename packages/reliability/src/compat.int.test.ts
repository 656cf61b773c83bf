import { join } from 'node:path';
import { spawnNode, startMosquitto, startNatsCluster, startRabbitMq, waitFor, type NatsCluster } from '@mg/test-helpers';
import { FEATURES, PROBES, writeCompatReport, type CompatRow, type Feature, type Target, type Verdict } from './compat.js';
import { mqtt5Connect, qos2Behaviour, sessionMovesAfterNodeKill, subscriptionsWhileNodeDown, willWhenNodeIsKilled } from './nats-findings.js';

// The broker compatibility table: each cell measured here with plain MQTT.js clients, then
// compared with what was measured before, so a broker that changes behaviour fails the test.
// The table and the NATS findings are written to .results/compat.md.

const EMBEDDED_BROKER = join(__dirname, '..', 'dist', 'embedded-broker-process.js');

const Y: Verdict = 'yes';
const N: Verdict = 'no';
/** What each broker did when last measured, column by column. */
const EXPECTED: Record<string, Record<Feature, Verdict>> = {
  'Mosquitto 2.0 (single node)': { connect: Y, qos0: Y, qos1: Y, retained: Y, will: Y, session: Y, shared: Y, mqtt5: Y },
  'Embedded aedes (@mg/embedded-broker)': { connect: Y, qos0: Y, qos1: Y, retained: Y, will: Y, session: Y, shared: N, mqtt5: N },
  'NATS 2.9, 3-node cluster': { connect: Y, qos0: Y, qos1: Y, retained: Y, will: Y, session: Y, shared: N, mqtt5: N },
  'RabbitMQ 3.10, rabbitmq_mqtt (single node)': { connect: Y, qos0: Y, qos1: Y, retained: Y, will: Y, session: Y, shared: N, mqtt5: N },
};

const rows: CompatRow[] = [];
const findings: string[] = [];
afterAll(() => {
  const table = writeCompatReport(rows, findings);
  process.stdout.write(`\nBroker compatibility\n\n${table}\n\n`);
});

const single = (url: string): Target => ({ urls: [url], pub: url, sub: url, route: '' });

/** One row: starts the broker, runs every probe as its own test, stops the broker. */
function brokerRow(broker: string, start: () => Promise<{ target: Target; stop: () => Promise<unknown> }>): void {
  describe(broker, () => {
    const row: CompatRow = { broker, cells: {} };
    rows.push(row);
    let target: Target | undefined;
    let stop: (() => Promise<unknown>) | undefined;
    beforeAll(async () => {
      ({ target, stop } = await start());
    }, 90_000);
    afterAll(async () => {
      await stop?.();
    }, 30_000);
    it.each(FEATURES.map((f) => [f.title, f.key] as const))(
      '%s',
      async (_title, key) => {
        const cell = await PROBES[key](target!);
        row.cells[key] = cell;
        expect(cell).toMatchObject({ verdict: EXPECTED[broker]![key] });
      },
      30_000,
    );
  });
}

brokerRow('Mosquitto 2.0 (single node)', async () => {
  const broker = await startMosquitto();
  return { target: single(broker.url), stop: () => broker.dispose() };
});

brokerRow('Embedded aedes (@mg/embedded-broker)', async () => {
  const proc = spawnNode(EMBEDDED_BROKER, ['0']);
  await waitFor(() => /PORT \d+/.test(proc.out()) || proc.child.exitCode !== null, 'the embedded broker to listen');
  const port = /PORT (\d+)/.exec(proc.out())?.[1];
  if (!port) throw new Error(`the embedded broker did not start: ${proc.output()}`);
  return {
    target: single(`mqtt://127.0.0.1:${port}`),
    stop: async () => {
      proc.child.kill('SIGTERM');
      await proc.exit;
    },
  };
});

brokerRow('NATS 2.9, 3-node cluster', async () => {
  const cluster = await startNatsCluster({ nodes: 3 });
  return { target: { urls: cluster.urls, pub: cluster.urls[0]!, sub: cluster.urls[2]!, route: 'node 1 → node 3' }, stop: () => cluster.close() };
});

brokerRow('RabbitMQ 3.10, rabbitmq_mqtt (single node)', async () => {
  const startedAt = Date.now();
  const broker = await startRabbitMq();
  findings.push(`A private RabbitMQ node with rabbitmq_mqtt started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
  return { target: single(broker.url), stop: () => broker.dispose() };
});

// What the table cannot say in one word. Nodes are numbered from 1 in the findings, as in the docs.
describe('NATS 2.9 cluster findings', () => {
  let cluster: NatsCluster | undefined;
  const starts: number[] = [];
  beforeEach(async () => {
    const startedAt = Date.now();
    cluster = await startNatsCluster({ nodes: 3 });
    starts.push((Date.now() - startedAt) / 1000);
  }, 60_000);
  afterEach(async () => {
    await cluster?.close();
  }, 30_000);
  afterAll(() => {
    if (starts.length === 0) return;
    const [low, high] = [Math.min(...starts).toFixed(1), Math.max(...starts).toFixed(1)];
    findings.unshift(
      `A 3-node NATS cluster was ready (meta leader elected, MQTT CONNACK on every node) in ${low === high ? low : `${low}–${high}`} s (${starts.length} start${starts.length === 1 ? '' : 's'}).`,
    );
  });

  it('does not publish the last will of a client whose node is killed -9, not even once the node is back', async () => {
    const r = await willWhenNodeIsKilled(cluster!);
    findings.push(
      `Last will when the client's node is killed -9: ${r.willAfterMs === null ? `not published by the surviving nodes within ${r.waitedMs / 1000} s (client keepalive 5 s)` : `published after ${r.willAfterMs} ms`}; ` +
        `a late subscriber on a surviving node still reads the retained "${r.retainedAfterKill}"; ` +
        `${r.willAfterRestart ? 'the restarted node published it' : `nor published when the node restarted (back and accepting MQTT after ${(r.restartMs / 1000).toFixed(1)} s)`}.`,
    );
    expect(r).toMatchObject({ willAfterMs: null, retainedAfterKill: 'online', willAfterRestart: false });
  }, 60_000);

  it('keeps a persistent session when its node is killed -9 and the client comes back on another node', async () => {
    const r = await sessionMovesAfterNodeKill(cluster!);
    findings.push(
      `Persistent session (clean false, QoS 1) on ${r.victim}, which led ${r.ledStreams.join(', ')}; ${r.victim} killed -9; ${r.sent} QoS 1 messages published meanwhile through another node by a reconnecting MQTT.js client: ` +
        `${r.ackedMs === null ? 'not all acknowledged' : `all acknowledged ${(r.ackedMs / 1000).toFixed(1)} s after the kill`} (the publisher's connection closed or timed out ${r.publisherDisconnects} times; MQTT.js reconnected and resent); ` +
        `client back on the third node: session present ${r.sessionPresent}, ${r.delivered}/${r.sent} delivered, ${r.duplicated} duplicated, the last ${((r.recoveredMs ?? NaN) / 1000).toFixed(1)} s after the kill.`,
    );
    expect(r).toMatchObject({ delivered: r.sent, sessionPresent: true });
    expect(r.ackedMs).not.toBeNull();
  }, 60_000);

  it('grants every QoS 0 subscription while a node is down, and every QoS 1 one once it is back', async () => {
    const r = await subscriptionsWhileNodeDown(cluster!);
    findings.push(
      `New subscriptions on a surviving node while 1 node of 3 is down: QoS 1 granted ${r.qos1[0]} of ${r.qos1[0] + r.qos1[1]}` +
        `${r.qos1[1] > 0 ? ` (the others refused with SUBACK 0x80 after up to ${(r.slowestRefusalMs / 1000).toFixed(1)} s; the node logged "Unable to add JetStream consumer" ${r.consumerErrorsLogged} time${r.consumerErrorsLogged === 1 ? '' : 's'})` : ''}, ` +
        `QoS 0 granted ${r.qos0[0]} of ${r.qos0[0] + r.qos0[1]}; once the node is back, QoS 1 granted ${r.qos1AfterRestart[0]} of ${r.qos1AfterRestart[0] + r.qos1AfterRestart[1]}.`,
    );
    // QoS 1 refusals while the node is down come and go (often a third to a half): counted, not asserted.
    expect(r.qos0[1]).toBe(0);
    expect(r.consumerErrorsLogged).toBe(r.qos1[1]);
    expect(r.qos1AfterRestart[1]).toBe(0);
  }, 90_000);

  it('grants QoS 1 for a QoS 2 subscription and drops the connection of a QoS 2 publisher', async () => {
    const r = await qos2Behaviour(cluster!);
    findings.push(
      `QoS 2: SUBACK grants QoS ${r.granted} for a QoS 2 subscription; a QoS 2 PUBLISH ${r.publisherDisconnected ? "makes the node close the publisher's connection" : 'leaves the connection open'} and the message is ${r.delivered ? 'delivered' : 'not delivered'}.`,
    );
    expect(r).toEqual({ granted: 1, publisherDisconnected: true, delivered: false });
  }, 30_000);

  it('refuses an MQTT 5 CONNECT with return code 1 (unacceptable protocol version)', async () => {
    const r = await mqtt5Connect(cluster!.urls[0]!);
    findings.push(`MQTT 5 CONNECT: ${r.accepted ? 'accepted' : `refused, CONNACK return code ${r.returnCode} ("${r.message}")`}.`);
    expect(r).toMatchObject({ accepted: false, returnCode: 1 });
  }, 30_000);
});
