import { createGateway, type Gateway } from '@mg/core';
import { memoryLogging } from '@mg/core/testing';
import { startMosquitto, waitFor, type Mosquitto } from '@mg/test-helpers';
import { webExtension } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';
import { openEventStream } from './test-support/event-stream.js';
import { request } from './test-support/web-gateway.js';

// The server of a gateway on a real broker: readiness, the connection on the live stream and the
// per-broker metrics follow the broker as it dies and comes back.
let broker: Mosquitto | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  await broker?.dispose();
  gateway = undefined;
  broker = undefined;
});

it('/health/ready turns 503 when the broker dies and 200 when it is back; the live stream and /metrics say so', async () => {
  broker = await startMosquitto();
  let listening!: (url: string) => void;
  const address = new Promise<string>((r) => (listening = r));
  gateway = createGateway(AvInterface, {
    appName: 'webint',
    config: {
      MQTT: { host: '127.0.0.1', port: broker.port, root: 'webint', topics: 'webint/#', reconnectmin: 0.1, reconnectmax: 1 },
      WEB: { enabled: 'on', port: 0 },
    },
    extensions: [webExtension({ listening })],
    logging: memoryLogging('webint'),
  });
  await gateway.start();
  const port = Number(new URL(await address).port);
  const ready = async () => (await request(port, '/health/ready')).status;
  await waitFor(async () => (await ready()) === 200, 'ready once connected');
  const stream = await openEventStream(port);
  await stream.next('connection', (d) => d.connected === true);

  await broker.kill();
  await waitFor(async () => (await ready()) === 503, 'not ready without the broker');
  expect((await request(port, '/health/ready')).json()).toEqual({ status: 'not-ready', reason: 'the broker is not connected' });
  await stream.next('connection', (d) => d.connected === false);
  expect((await request(port, '/health/live')).status).toBe(200);

  await broker.start();
  await waitFor(async () => (await ready()) === 200, 'ready again with the broker back');
  await stream.next('connection', (d) => d.connected === true && d.broker === broker!.url);
  const metrics = (await request(port, '/metrics')).text;
  expect(metrics).toContain(`mg_broker_connected{broker="${broker.url}"} 1`);
  expect(metrics).toMatch(new RegExp(`^mg_broker_disconnections_total\\{broker="${broker.url.replace(/[.:/]/g, '\\$&')}"\\} 1$`, 'm'));
  stream.close();
}, 60_000);
