import { performance } from 'node:perf_hooks';
import { DeviceOptionError, WriteQueueFullError } from './errors.js';
import { WriteQueue } from './write-queue.js';

/** A sink that records when each write started and can be held open. */
function recordingSink() {
  const writes: { text: string; at: number }[] = [];
  return {
    writes,
    sink: (bytes: Buffer) => {
      writes.push({ text: bytes.toString(), at: performance.now() });
      return Promise.resolve();
    },
  };
}

describe('WriteQueue', () => {
  it('writes in order, one at a time', async () => {
    const { writes, sink } = recordingSink();
    const q = new WriteQueue(sink);
    await Promise.all(['a', 'b', 'c'].map((t) => q.enqueue(Buffer.from(t))));
    expect(writes.map((w) => w.text)).toEqual(['a', 'b', 'c']);
  });

  it('keeps at least spacingMs between two writes', async () => {
    const { writes, sink } = recordingSink();
    const q = new WriteQueue(sink, { spacingMs: 15 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => q.enqueue(Buffer.from(String(i)))));
    const gaps = writes.slice(1).map((w, i) => w.at - writes[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(15);
  });

  it('rejects a write beyond maxQueued at once, with what to do', async () => {
    const held: (() => void)[] = [];
    const q = new WriteQueue(() => new Promise<void>((r) => held.push(r)), { maxQueued: 2, name: 'the amplifier' });
    const accepted = ['being written', '1', '2'].map((t) => q.enqueue(Buffer.from(t)));
    expect(q.size).toBe(2);
    const refused = q.enqueue(Buffer.from('3'));
    await expect(refused).rejects.toThrow(WriteQueueFullError);
    await expect(refused).rejects.toThrow(/write queue for the amplifier is full \(2 writes waiting, 0 ms apart\).*maxQueuedWrites/);
    while (held.length > 0 || q.size > 0) {
      held.shift()?.();
      await new Promise(setImmediate);
    }
    await Promise.all(accepted);
  });

  it('clear() rejects what waits, and the queue goes on afterwards', async () => {
    const { writes, sink } = recordingSink();
    const q = new WriteQueue(sink, { spacingMs: 1000 });
    await q.enqueue(Buffer.from('now'));
    const later = q.enqueue(Buffer.from('later'));
    q.clear(new Error('device gone'));
    await expect(later).rejects.toThrow('device gone');
    expect(q.size).toBe(0);
    expect(writes.map((w) => w.text)).toEqual(['now']);
  });

  it('passes the sink error to the writer and goes on with the next write', async () => {
    let n = 0;
    const q = new WriteQueue(() => (n++ === 0 ? Promise.reject(new Error('EPIPE')) : Promise.resolve()));
    await expect(q.enqueue(Buffer.from('a'))).rejects.toThrow('EPIPE');
    await expect(q.enqueue(Buffer.from('b'))).resolves.toBeUndefined();
  });

  it('runs beforeWrite just before the bytes go out', async () => {
    const events: string[] = [];
    const q = new WriteQueue((b) => (events.push(`write ${b.toString()}`), Promise.resolve()), { spacingMs: 5 });
    await Promise.all([q.enqueue(Buffer.from('a'), () => events.push('before a')), q.enqueue(Buffer.from('b'), () => events.push('before b'))]);
    expect(events).toEqual(['before a', 'write a', 'before b', 'write b']);
  });

  it('drops bytes still waiting when their signal aborts, rejecting with its reason; ignores it once they are written', async () => {
    const { writes, sink } = recordingSink();
    const q = new WriteQueue(sink, { spacingMs: 20 });
    const first = new AbortController();
    const second = new AbortController();
    const a = q.enqueue(Buffer.from('a'), undefined, first.signal);
    const b = q.enqueue(Buffer.from('b'), undefined, second.signal);
    const c = q.enqueue(Buffer.from('c'));
    second.abort(new Error('poll timed out'));
    first.abort(new Error('too late'));
    await expect(b).rejects.toThrow('poll timed out');
    await expect(a).resolves.toBeUndefined();
    await expect(c).resolves.toBeUndefined();
    expect(writes.map((w) => w.text)).toEqual(['a', 'c']);
    await expect(q.enqueue(Buffer.from('d'), undefined, AbortSignal.abort(new Error('before')))).rejects.toThrow('before');
    expect(q.size).toBe(0);
  });

  it('refuses a spacing or bound that cannot work', () => {
    const sink = () => Promise.resolve();
    expect(() => new WriteQueue(sink, { spacingMs: -1 })).toThrow(DeviceOptionError);
    expect(() => new WriteQueue(sink, { spacingMs: Number.NaN })).toThrow(/spacingMs/);
    expect(() => new WriteQueue(sink, { maxQueued: 0 })).toThrow(/maxQueuedWrites/);
  });
});
