import { rmSync } from 'node:fs';
import { connectClient, freePort, makeTestPki, startMosquitto, waitFor, type Mosquitto, type TestPki } from '@mg/test-helpers';
import { mqttLines, runGateway, type Harness } from './test-support/gateway-harness.js';
import { PollingEcho } from './test-support/interfaces.js';

// A Mosquitto TLS listener with a CA made by the test: the gateway connects with the right
// CA and refuses the broker, with a message that says why, with the wrong one.
let pki: TestPki;
let broker: Mosquitto;
let tlsPort: number;
let gw: Harness | undefined;

beforeAll(async () => {
  pki = makeTestPki();
  tlsPort = await freePort();
  broker = await startMosquitto({
    extraConfig: [`listener ${tlsPort} 127.0.0.1`, `cafile ${pki.caCert}`, `certfile ${pki.serverCert}`, `keyfile ${pki.serverKey}`],
  });
});
afterAll(async () => {
  await broker.dispose();
  rmSync(pki.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

it('connects over mqtts with the CA that signed the broker certificate', async () => {
  gw = await runGateway(PollingEcho, mqttLines(`mqtt://127.0.0.1:${tlsPort}`, { protocol: 'mqtts', cafile: pki.caCert }));
  await waitFor(() => gw!.handle.counters.connections === 1, 'the TLS connection');
  const client = await connectClient(broker.url);
  await client.subscribe('testmqttgtw/+/+/+/+/+/S');
  await client.publish('testmqttgtw/lighting/dummy/office/lamp/t/C', 'light_on');
  await client.waitFor((m) => m.topic.endsWith('/dummy2mqtt/S'), 'the reply, through TLS');
  await client.end();
});

it('refuses a broker signed by another CA, says why, and keeps verification on by default', async () => {
  gw = await runGateway(PollingEcho, mqttLines(`mqtt://127.0.0.1:${tlsPort}`, { protocol: 'mqtts', cafile: pki.otherCaCert }));
  await waitFor(() => /TLS handshake with mqtts:\/\/127\.0\.0\.1:\d+ failed/.test(gw!.errors()), 'the TLS error');
  expect(gw.errors()).toMatch(/Check \[MQTT\] cafile \(the CA that signed the broker certificate\)/);
  expect(gw.handle.counters.connections).toBe(0);
});
