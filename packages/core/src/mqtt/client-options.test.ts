import { connectTimeoutMs, mqttDebug } from './client-options.js';

describe("MQTT.js's own logs (they cost time per message, so they are on only when asked for)", () => {
  it.each(['mqttjs*', 'mqttjs', 'mqttjs:client', '*', 'mg,mqttjs*', 'mg mqtt*'])('are on with DEBUG=%s', (debug) => {
    expect(mqttDebug(debug)).toBe(true);
  });

  it.each(['', 'mg', 'mqtt-packet', 'mqttjs:tcp', '*,-mqttjs*', 'foo*'])('are off with DEBUG=%s', (debug) => {
    expect(mqttDebug(debug)).toBe(false);
  });
});

describe('how long a connection attempt waits for its CONNACK', () => {
  it.each([
    [60, 10_000],
    [5, 7_500],
    [2, 3_000],
    [1, 2_000],
    [0, 10_000],
  ])('keepalive %d s: %d ms', (keepalive, ms) => {
    expect(connectTimeoutMs(keepalive)).toBe(ms);
  });
});
