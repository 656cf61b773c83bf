import { join } from 'node:path';
import { spawnNode, startMosquitto, startNatsCluster, startRabbitMq, waitFor } from '@mg/test-helpers';
import { FEATURES, PROBES, writeCompatReport, type CompatRow, type Feature, type Target, type Verdict } from './compat.js';

// The broker compatibility table: each cell measured here with plain MQTT.js clients, then
// compared with what was measured before, so a broker that changes behaviour fails the test.
// The table is written to .results/compat.md.

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
    it.each(FEATURES.map((f) => [f.title, f.key] as const))('%s', async (_title, key) => {
      const cell = await PROBES[key](target!);
      row.cells[key] = cell;
      expect(cell).toMatchObject({ verdict: EXPECTED[broker]![key] });
    }, 30_000);
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
