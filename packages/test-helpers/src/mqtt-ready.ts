import mqtt from 'mqtt';

/**
 * True when the broker at `url` answers an MQTT CONNECT with CONNACK 0. A listening port is not
 * enough for clustered brokers: NATS and RabbitMQ accept TCP before they can load a session.
 */
export function acceptsMqtt(url: string, timeoutMs = 5_000): Promise<boolean> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, clientId: `mg-ready-${process.pid}-${Date.now().toString(36)}` });
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      client.end(true, () => resolve(ok));
    };
    client.on('error', () => done(false));
    client.once('connect', () => done(true));
    client.once('close', () => done(false));
  });
}
