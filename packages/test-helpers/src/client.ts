import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  properties?: Record<string, unknown>;
}

/** An MQTT client for tests that records everything it receives. */
export interface TestClient {
  client: MqttClient;
  messages: Received[];
  subscribe(topic: string | string[], qos?: 0 | 1 | 2): Promise<void>;
  publish(topic: string, payload: string | Buffer, options?: mqtt.IClientPublishOptions): Promise<void>;
  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(match: (m: Received) => boolean, what: string, timeoutMs?: number): Promise<Received>;
  /**
   * Resolves once the broker has delivered everything it queued for this client before the call
   * (the retained messages of a subscription, say): a marker sent through the broker to this
   * client comes back after them (Mosquitto keeps one client's QoS 1 messages in order). A test
   * waits for this, not for a fixed time that a loaded machine may exceed.
   */
  flush(timeoutMs?: number): Promise<void>;
  end(): Promise<void>;
}

function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export { topicMatches };

export async function connectClient(url: string, options: IClientOptions = {}): Promise<TestClient> {
  // Listen before the connection exists: a persistent session delivers right after CONNACK.
  const client = mqtt.connect(url, { reconnectPeriod: 200, connectTimeout: 5_000, ...options });
  const messages: Received[] = [];
  const listeners = new Set<() => void>();
  let markers = 0;
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString(), retain: packet.retain, properties: packet.properties });
    for (const l of listeners) l();
  });
  // A failed first connection ends the client; later errors (a broker restart) must not, or the
  // client would stop reconnecting.
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      client.end(true);
      reject(err);
    };
    client.once('error', failed);
    client.once('connect', () => {
      client.off('error', failed);
      resolve();
    });
  });
  const test: TestClient = {
    client,
    messages,
    async subscribe(topic, qos = 0) {
      await client.subscribeAsync(topic, { qos });
    },
    async publish(topic, payload, opts = {}) {
      await client.publishAsync(topic, payload, opts);
    },
    waitFor(match, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            cleanup();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(messages.slice(-10))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async flush(timeoutMs = 10_000) {
      markers += 1;
      const marker = `mgtest-flush/${process.pid}/${client.options.clientId ?? ''}/${markers}`;
      await client.subscribeAsync(marker, { qos: 1 });
      const back = test.waitFor((m) => m.topic === marker, `the flush marker ${marker}`, timeoutMs);
      await client.publishAsync(marker, 'flush', { qos: 1 });
      await back;
      await client.unsubscribeAsync(marker);
      messages.splice(0, messages.length, ...messages.filter((m) => m.topic !== marker));
    },
    async end() {
      await client.endAsync(true);
    },
  };
  return test;
}
