import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectClient, startRabbitMq } from './index.js';

describe('startRabbitMq', () => {
  it('runs a private node with the MQTT plugin that relays messages, and removes it on dispose', async () => {
    const broker = await startRabbitMq();
    try {
      expect(broker.nodeName).toMatch(/^mg\d+\w+@localhost$/);
      expect(readFileSync(join(broker.dir, 'enabled_plugins'), 'utf8')).toContain('rabbitmq_mqtt');
      const sub = await connectClient(broker.url);
      await sub.subscribe('helper/rabbit', 1);
      const pub = await connectClient(broker.url);
      await pub.publish('helper/rabbit', 'hop', { qos: 1 });
      expect((await sub.waitFor((m) => m.topic === 'helper/rabbit', 'the message through RabbitMQ')).payload).toBe('hop');
      await Promise.all([sub.end(), pub.end()]);
    } finally {
      await broker.dispose();
    }
    expect(existsSync(broker.dir)).toBe(false);
    await expect(connectClient(broker.url, { reconnectPeriod: 0, connectTimeout: 1_000 })).rejects.toThrow();
  }, 90_000);
});
