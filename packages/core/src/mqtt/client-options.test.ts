import { mqttDebug } from './client-options.js';

describe("MQTT.js's own logs (they cost time per message, so they are on only when asked for)", () => {
  it.each(['mqttjs*', 'mqttjs', 'mqttjs:client', '*', 'mg,mqttjs*', 'mg mqtt*'])('are on with DEBUG=%s', (debug) => {
    expect(mqttDebug(debug)).toBe(true);
  });

  it.each(['', 'mg', 'mqtt-packet', 'mqttjs:tcp', '*,-mqttjs*', 'foo*'])('are off with DEBUG=%s', (debug) => {
    expect(mqttDebug(debug)).toBe(false);
  });
});
