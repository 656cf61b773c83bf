import mqttPacket from 'mqtt-packet';
import { createTap, type TapEvent } from './tap.js';

const json = (p: Buffer) => {
  try {
    return (JSON.parse(p.toString()) as { correlation?: string }).correlation;
  } catch {
    return undefined;
  }
};

function tap() {
  const events: TapEvent[] = [];
  const errors: string[] = [];
  const t = createTap({
    node: 'node 1',
    commandId: (topic, payload) => (topic.endsWith('/C') ? json(payload) : undefined),
    replyId: (topic, payload) => (topic.endsWith('/S') ? json(payload) : undefined),
    emit: (e) => events.push(e),
    onError: (m) => errors.push(m),
  });
  return { t, events, errors };
}

const publish = (topic: string, id: string, messageId: number) =>
  mqttPacket.generate({ cmd: 'publish', topic, payload: JSON.stringify({ correlation: id }), qos: 1, dup: false, retain: false, messageId });
const connack = (sessionPresent: boolean) => mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent });
const suback = mqttPacket.generate({ cmd: 'suback', messageId: 1, granted: [1] });

test('a command written to the gateway crossed, even split across chunks; one swallowed (read, never written) did not', () => {
  const { t, events } = tap();
  t.onConnection(1, 'open');
  const both = Buffer.concat([publish('r/C', 'a', 1), publish('r/C', 'b', 2)]);
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: both.subarray(0, 7) });
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: both.subarray(7) });
  t.onData({ connection: 1, direction: 'down', stage: 'in', chunk: publish('r/C', 'c', 3) });
  expect(events).toEqual([
    { kind: 'crossed', id: 'a' },
    { kind: 'crossed', id: 'b' },
    // The broker sent it; the relay swallowed it: it never crossed.
    { kind: 'broker-sent', id: 'c' },
  ]);
});

test("the broker's PUBACK of a reply is reply-acked by packet id, per connection", () => {
  const { t, events } = tap();
  t.onConnection(1, 'open');
  t.onConnection(2, 'open');
  t.onData({ connection: 1, direction: 'up', stage: 'in', chunk: publish('r/S', 'x', 7) });
  t.onData({ connection: 2, direction: 'up', stage: 'in', chunk: publish('r/S', 'y', 7) });
  t.onData({ connection: 2, direction: 'down', stage: 'in', chunk: mqttPacket.generate({ cmd: 'puback', messageId: 7 }) });
  // A second PUBACK of the same id acknowledges nothing new.
  t.onData({ connection: 2, direction: 'down', stage: 'in', chunk: mqttPacket.generate({ cmd: 'puback', messageId: 7 }) });
  expect(events).toEqual([{ kind: 'reply-acked', id: 'y' }]);
});

test('a command is broker-sent when read from the broker, crossed when written to the gateway', () => {
  const { t, events } = tap();
  t.onConnection(1, 'open');
  t.onData({ connection: 1, direction: 'down', stage: 'in', chunk: publish('r/C', 'a', 5) });
  expect(events).toEqual([{ kind: 'broker-sent', id: 'a' }]);
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: publish('r/C', 'a', 5) });
  expect(events).toEqual([
    { kind: 'broker-sent', id: 'a' },
    { kind: 'crossed', id: 'a' },
  ]);
});

test("the gateway's PUBACK of a command that crossed is gateway-acked, by packet id, per connection", () => {
  const { t, events } = tap();
  t.onConnection(1, 'open');
  t.onConnection(2, 'open');
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: publish('r/C', 'a', 5) });
  t.onData({ connection: 2, direction: 'down', stage: 'out', chunk: publish('r/C', 'b', 5) });
  t.onData({ connection: 2, direction: 'up', stage: 'in', chunk: mqttPacket.generate({ cmd: 'puback', messageId: 5 }) });
  t.onData({ connection: 2, direction: 'up', stage: 'in', chunk: mqttPacket.generate({ cmd: 'puback', messageId: 5 }) });
  expect(events).toEqual([
    { kind: 'crossed', id: 'a' },
    { kind: 'crossed', id: 'b' },
    { kind: 'gateway-acked', id: 'b' },
  ]);
});

test('a CONNACK is told with its sessionPresent, connected at the SUBACK after it; disconnected once, at the first side that closes', () => {
  const { t, events } = tap();
  t.onConnection(3, 'open');
  // The broker's CONNACK, read as the broker sent it; the relay writes it out later (not counted twice).
  t.onData({ connection: 3, direction: 'down', stage: 'in', chunk: connack(false) });
  t.onData({ connection: 3, direction: 'down', stage: 'out', chunk: connack(false) });
  expect(events).toEqual([{ kind: 'connack', sessionPresent: false }]);
  t.onData({ connection: 3, direction: 'down', stage: 'out', chunk: suback });
  t.onConnection(3, 'client-closed');
  t.onConnection(3, 'target-closed');
  t.onConnection(3, 'close');
  expect(events).toEqual([
    { kind: 'connack', sessionPresent: false },
    { kind: 'connected', detail: 'node 1 sessionPresent=false' },
    { kind: 'disconnected', detail: 'node 1 connection 3: gateway side closed' },
  ]);
});

test('a stream that does not parse is reported once and no longer read', () => {
  const { t, events, errors } = tap();
  t.onConnection(1, 'open');
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: Buffer.from([0x00, 0x00]) });
  t.onData({ connection: 1, direction: 'down', stage: 'out', chunk: publish('r/C', 'a', 1) });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^tap node 1 connection 1 down:out: /);
  expect(events).toEqual([]);
});
