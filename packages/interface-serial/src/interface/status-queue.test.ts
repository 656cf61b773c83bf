import { InternalMessage, MessageList } from '@mg/core';
import { StatusQueue } from './status-queue.js';

const status = (action: string, level?: number) => new InternalMessage({ device: 'Receiver', action, arguments: level === undefined ? {} : { level } });

describe('StatusQueue', () => {
  it('hands statuses over one at a time, each once the previous one has gone out', async () => {
    let release: () => void = () => undefined;
    const outgoing: MessageList = new MessageList({
      drained: (): Promise<void> => (outgoing.size === 0 ? Promise.resolve() : new Promise<void>((r) => (release = r))),
    });
    const queue = new StatusQueue(outgoing);
    queue.push(status('POWER'));
    queue.push(status('VOLUME', 40));
    queue.push(status('MUTE'));
    queue.push(status('VOLUME', 41)); // replaces the waiting VOLUME 40, and goes last
    await new Promise((r) => setImmediate(r));
    expect(outgoing.size).toBe(1);
    expect(queue.size).toBe(2);
    const out: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = outgoing.pull()!;
      out.push(`${m.action}${m.arguments.level === undefined ? '' : ` ${String(m.arguments.level)}`}`);
      release();
      await new Promise((r) => setImmediate(r));
    }
    expect(out).toEqual(['POWER', 'MUTE', 'VOLUME 41']);
    expect(queue.size).toBe(0);
  });

  it('holds one status per action however many come while nothing goes out', async () => {
    const outgoing = new MessageList({ drained: () => new Promise<void>(() => undefined) });
    const queue = new StatusQueue(outgoing);
    for (let i = 0; i < 10_000; i++) queue.push(status(i % 2 ? 'VOLUME' : 'POWER', i));
    await new Promise((r) => setImmediate(r));
    expect(queue.size).toBe(2);
    expect(outgoing.size).toBe(0);
  });
});
