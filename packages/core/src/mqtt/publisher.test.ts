import type { MqttClient } from 'mqtt';
import { Counters } from '../runtime/counters.js';
import { memoryLogging } from '../testing/memory-logging.js';
import { Publisher } from './publisher.js';

/**
 * A stand-in for the MQTT.js client, for the in-flight bound only: it records publications and
 * lets the test acknowledge them (a broker that holds its PUBACKs cannot be asked to here). The
 * socket always takes more. The real client is tested against mosquitto in flow.int.test.ts.
 */
function fakeClient() {
  const pending: (() => void)[] = [];
  let sent = 0;
  const client = {
    stream: { writableNeedDrain: false },
    publish(_topic: string, _payload: unknown, _opts: unknown, acked?: () => void) {
      sent += 1;
      if (acked) pending.push(acked);
    },
  } as unknown as MqttClient;
  return { client, sent: () => sent, ack: (n: number) => pending.splice(0, n).forEach((a) => a()) };
}

it('keeps at most 10,000 QoS 1 messages unacknowledged, and sends the waiting ones in a batch once half are acknowledged', () => {
  const counters = new Counters();
  const publisher = new Publisher({ outboxSize: 100_000, version: 4, logger: memoryLogging().logger('mqtt'), counters });
  const fake = fakeClient();
  publisher.attach(fake.client);
  for (let i = 0; i < 12_000; i++) publisher.publish({ kind: 'interface', topic: `t/${i}`, payload: 'x', qos: 1, retain: false });
  expect(fake.sent()).toBe(10_000);
  expect(publisher.pending).toBe(2_000);
  fake.ack(4_999); // 5,001 still in flight: not yet
  expect(fake.sent()).toBe(10_000);
  fake.ack(1);
  expect(fake.sent()).toBe(12_000);
  expect(publisher.pending).toBe(0);
  expect(counters.dropped).toBe(0);
});

it("counts the interface's messages in published, the extensions' apart, the gateway's own (availability, stats) in neither", () => {
  const counters = new Counters();
  const publisher = new Publisher({ outboxSize: 10, version: 4, logger: memoryLogging().logger('mqtt'), counters });
  publisher.attach(fakeClient().client, { kind: 'gateway', topic: 'gw/availability', payload: 'online', qos: 1, retain: true });
  for (const kind of ['interface', 'interface', 'extension', 'gateway'] as const) publisher.publish({ kind, topic: 't', payload: 'x', qos: 0, retain: false });
  expect({ published: counters.published, extensionPublished: counters.extensionPublished }).toEqual({ published: 2, extensionPublished: 1 });
});

it('says how many messages waited for the connection, in the number the count takes', () => {
  const logging = memoryLogging();
  const publisher = new Publisher({ outboxSize: 10, version: 4, logger: logging.logger('mqtt'), counters: new Counters() });
  publisher.publish({ kind: 'interface', topic: 't', payload: 'x', qos: 1, retain: false });
  publisher.attach(fakeClient().client);
  publisher.detach();
  for (const payload of ['y', 'z']) publisher.publish({ kind: 'interface', topic: 't', payload, qos: 1, retain: false });
  publisher.attach(fakeClient().client);
  expect(logging.records.filter((r) => r.includes('queued while disconnected'))).toEqual([
    'INFO test.mqtt: sending 1 message queued while disconnected',
    'INFO test.mqtt: sending 2 messages queued while disconnected',
  ]);
});
