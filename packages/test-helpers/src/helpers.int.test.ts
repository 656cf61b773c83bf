import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectClient, startMosquitto, topicMatches, waitFor } from './index.js';

describe('topicMatches', () => {
  it.each<[string, string, boolean]>([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a/b/c', true],
    ['a/#', 'a', true],
    ['+/+/C', 'x//C', true],
    ['a/b', 'a/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe('startMosquitto', () => {
  it('runs a private broker that can be killed and restarted with its retained messages', async () => {
    const broker = await startMosquitto({ persistence: true });
    try {
      const a = await connectClient(broker.url);
      await a.publish('t/x', 'kept', { qos: 1, retain: true });
      await a.end();
      await waitFor(() => existsSync(join(broker.dir, 'mosquitto.db')), 'the broker to save its database');
      await broker.kill();
      await broker.start();
      const b = await connectClient(broker.url);
      await b.subscribe('t/#');
      const m = await b.waitFor((r) => r.topic === 't/x', 'the retained message');
      expect(m).toMatchObject({ payload: 'kept', retain: true });
      await b.end();
    } finally {
      await broker.dispose();
    }
  });
});
