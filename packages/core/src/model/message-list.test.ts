import { InternalMessage } from './message.js';
import { MessageList } from './message-list.js';

const msg = (action: string) => new InternalMessage({ action });

describe('MessageList', () => {
  it('is a FIFO whose pull returns undefined when empty', () => {
    const list = new MessageList();
    expect(list.pull()).toBeUndefined();
    list.push(msg('a'));
    list.push(msg('b'));
    expect(list.size).toBe(2);
    expect(list.pull()?.action).toBe('a');
    expect(list.pull()?.action).toBe('b');
    expect(list.pull()).toBeUndefined();
    expect(list.size).toBe(0);
  });

  it('keeps order across growth and wrap-around', () => {
    const list = new MessageList();
    const seen: string[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) list.push(msg(String(next++)));
      for (let i = 0; i < 5; i++) seen.push(list.pull()!.action);
    }
    while (list.size) seen.push(list.pull()!.action);
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => String(i)));
  });

  it('iterates asynchronously, waiting for pushes, until closed', async () => {
    const list = new MessageList();
    list.push(msg('early'));
    const received: string[] = [];
    const done = (async () => {
      for await (const m of list) received.push(m.action);
    })();
    await new Promise((r) => setImmediate(r));
    list.push(msg('late1'));
    list.push(msg('late2'));
    await new Promise((r) => setImmediate(r));
    list.close();
    await done;
    expect(received).toEqual(['early', 'late1', 'late2']);
    // Pushed by a device callback during shutdown: ignored and counted, never a crash.
    expect(list.push(msg('x'))).toBe(false);
    expect(list.ignoredAfterClose).toBe(1);
    expect(list.size).toBe(0);
  });

  it('stops iterating on abort without swallowing a later message', async () => {
    const list = new MessageList();
    const controller = new AbortController();
    const received: string[] = [];
    const done = (async () => {
      for await (const m of list.until(controller.signal)) received.push(m.action);
    })();
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await done;
    list.push(msg('after'));
    expect(received).toEqual([]);
    expect(list.pull()?.action).toBe('after');
  });

  it('tells listeners about every push', () => {
    const list = new MessageList();
    let calls = 0;
    const off = list.onPush(() => calls++);
    list.push(msg('a'));
    list.push(msg('b'));
    off();
    list.push(msg('c'));
    expect(calls).toBe(2);
  });

  it('keeps at most `limit` messages, dropping the oldest and counting them', () => {
    const list = new MessageList({ limit: 3 });
    const kept = ['a', 'b', 'c', 'd', 'e'].map((a) => list.push(msg(a)));
    expect(kept).toEqual([true, true, true, false, false]);
    expect(list.dropped).toBe(2);
    expect([list.pull()?.action, list.pull()?.action, list.pull()?.action]).toEqual(['c', 'd', 'e']);
    expect(() => new MessageList({ limit: 0 })).toThrow(RangeError);
  });
});
