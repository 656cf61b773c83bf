import { createServer, type Server, type Socket } from 'node:net';
import { waitFor } from '@mg/test-helpers';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';
import { PollingEcho } from '../test-support/interfaces.js';

// A NATS node refuses QoS 1 subscriptions (SUBACK 0x80) for a while when another node of its
// cluster is down, at random; this broker does it deterministically: MQTT 3.1.1 on a socket,
// the first `refusals` SUBSCRIBE packets refused, everything else accepted.
interface FakeBroker {
  port: number;
  subscribes: number;
  close(): Promise<void>;
}

function startRefusingBroker(refusals: number): Promise<FakeBroker> {
  const sockets = new Set<Socket>();
  const broker = { port: 0, subscribes: 0, close: () => Promise.resolve() };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        // Fixed header: type byte, then the remaining length as a variable-length integer.
        let length = 0;
        let i = 1;
        for (let shift = 0; i < buffer.length; i++, shift += 7) {
          length += (buffer[i]! & 0x7f) << shift;
          if ((buffer[i]! & 0x80) === 0) break;
        }
        if (i >= buffer.length || buffer.length < i + 1 + length) return;
        const first = buffer[0]!;
        const type = first >> 4;
        const body = buffer.subarray(i + 1, i + 1 + length);
        buffer = buffer.subarray(i + 1 + length);
        if (type === 1)
          socket.write(Buffer.from([0x20, 2, 0, 0])); // CONNECT: accepted
        else if (type === 8) {
          // SUBSCRIBE: packet id, then (topic length, topic, QoS) per filter.
          const codes: number[] = [];
          for (let at = 2; at < body.length;) {
            const n = body.readUInt16BE(at);
            codes.push(broker.subscribes < refusals ? 0x80 : body[at + 2 + n]!);
            at += 3 + n;
          }
          broker.subscribes += 1;
          socket.write(Buffer.from([0x90, 2 + codes.length, body[0]!, body[1]!, ...codes]));
        } else if (type === 3 && ((first >> 1) & 3) > 0) {
          const n = body.readUInt16BE(0);
          socket.write(Buffer.from([0x40, 2, body[2 + n]!, body[3 + n]!])); // PUBACK
        } else if (type === 10)
          socket.write(Buffer.from([0xb0, 2, body[0]!, body[1]!])); // UNSUBACK
        else if (type === 12)
          socket.write(Buffer.from([0xd0, 0])); // PINGRESP
        else if (type === 14) socket.end();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      broker.port = (server.address() as { port: number }).port;
      broker.close = () =>
        new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        });
      resolve(broker);
    });
  });
}

let gw: Harness | undefined;
let broker: FakeBroker | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  await broker?.close();
  broker = undefined;
});

it('subscribes again, with growing delays, to what the broker refused, on the same connection', async () => {
  broker = await startRefusingBroker(2);
  gw = await runGateway(PollingEcho, mqttLines(`mqtt://127.0.0.1:${broker.port}`, { subqos: 1, reconnectmin: 0.2, reconnectmax: 1, polltopic: '' }));
  await waitFor(() => broker!.subscribes === 3, 'the third SUBSCRIBE', 10_000);
  await waitFor(() => gw!.subscriptions.length > 0, 'the subscriptions');
  // Two filters in the dummy map (no poll topic), refused twice each; one connection throughout.
  expect(gw.handle.counters).toMatchObject({ subscriptionsRefused: 4, connections: 1, disconnections: 0 });
  // Granted together on the third SUBSCRIBE, on the same connection.
  expect(gw.subscriptions.map((s) => s.filters)).toEqual([['testmqttgtw/+/dummy/+/+/+/C', 'testmqttgtw/dummyfunction/+/+/+/+/C']]);
});
