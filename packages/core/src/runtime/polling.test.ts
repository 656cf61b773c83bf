import { MessageList } from '../model/message-list.js';
import { InternalMessage } from '../model/message.js';
import { PollingLoop } from './polling.js';

const msg = () => new InternalMessage({ isCmd: true, action: 'PING' });

describe('PollingLoop', () => {
  it('runs a turn as soon as a message is pushed, before any timer, and at least every everyMs when idle', async () => {
    const incoming = new MessageList();
    const turns: string[] = [];
    const loop = new PollingLoop({ incoming, everyMs: 20, turn: async () => void turns.push(`turn with ${incoming.size}`) });
    loop.start();
    await new Promise((r) => setTimeout(r, 5));
    turns.length = 0;
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    incoming.push(msg());
    await Promise.resolve();
    await Promise.resolve();
    expect(turns).toEqual(['turn with 1']);
    expect(timerFired).toBe(false);
    await new Promise((r) => setTimeout(r, 70));
    loop.stop();
    expect(turns.length).toBeGreaterThanOrEqual(3); // idle turns every 20 ms
  });

  it('a loop() that keeps finding messages (it pushes them back) does not starve timers and I/O', async () => {
    const incoming = new MessageList();
    let turns = 0;
    const loop = new PollingLoop({
      incoming,
      everyMs: 1_000,
      turn: async () => {
        turns += 1;
        const m = incoming.pull();
        if (m) incoming.push(m); // re-queued: there is always one waiting
      },
    });
    incoming.push(msg());
    loop.start();
    const started = turns;
    await new Promise((r) => setTimeout(r, 20)); // would never fire if turns chained as microtasks for ever
    loop.stop();
    expect(turns - started).toBeGreaterThan(64);
  });

  it('an idle turn comes everyMs after the last turn, not while messages keep coming', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const incoming = new MessageList();
      const turns: number[] = [];
      const loop = new PollingLoop({ incoming, everyMs: 30, turn: () => void turns.push(incoming.pull() ? 1 : 0) });
      loop.start();
      await Promise.resolve();
      for (let i = 0; i < 10; i++) {
        jest.advanceTimersByTime(10);
        incoming.push(msg());
        await Promise.resolve();
      }
      expect(turns).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // no idle turn in between
      jest.advanceTimersByTime(29);
      expect(turns).toHaveLength(11);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      jest.advanceTimersByTime(30);
      await Promise.resolve();
      loop.stop();
      jest.advanceTimersByTime(100);
      await Promise.resolve();
      expect(turns).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]); // then every 30 ms, until stopped
    } finally {
      jest.useRealTimers();
    }
  });

  it('an asynchronous turn is never overlapped by the next one', async () => {
    const incoming = new MessageList();
    let active = 0;
    let most = 0;
    let turns = 0;
    const loop = new PollingLoop({
      incoming,
      everyMs: 5,
      turn: async () => {
        turns += 1;
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 3));
        incoming.pull();
        active -= 1;
      },
    });
    loop.start();
    for (let i = 0; i < 20; i++) {
      incoming.push(msg());
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 30));
    loop.stop();
    expect(most).toBe(1);
    expect(turns).toBeGreaterThan(5);
  });

  it('an interface that takes nothing gets no turn at once, even while a full list drops its oldest messages', async () => {
    const incoming = new MessageList({ limit: 2 });
    let turns = 0;
    const loop = new PollingLoop({
      incoming,
      everyMs: 1_000,
      turn: async () => {
        turns += 1;
        // The broker keeps sending (dropoldest): the list churns, the interface takes nothing.
        await new Promise((r) => setTimeout(r, 1));
        incoming.push(msg());
        incoming.push(msg());
      },
    });
    incoming.push(msg());
    loop.start();
    await new Promise((r) => setTimeout(r, 100));
    loop.stop();
    expect(incoming.dropped).toBeGreaterThan(0);
    expect(turns).toBe(1); // the next one after everyMs, not back to back
  });

  it('messages that arrive during a turn that found none get a turn at once, not after everyMs', async () => {
    const incoming = new MessageList();
    const seen: number[] = [];
    const loop = new PollingLoop({
      incoming,
      everyMs: 1_000,
      turn: async () => {
        seen.push(incoming.size);
        if (incoming.pull()) return;
        await new Promise((r) => setTimeout(r, 5)); // waiting for its device
      },
    });
    loop.start();
    await Promise.resolve();
    incoming.push(msg()); // while the first (empty) turn waits
    await new Promise((r) => setTimeout(r, 50));
    loop.stop();
    expect(seen).toEqual([0, 1]);
  });
});
