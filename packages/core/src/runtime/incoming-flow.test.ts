import { IncomingFlow } from './incoming-flow.js';
import { InternalMessage } from '../model/message.js';
import { MessageList } from '../model/message-list.js';

const msg = (n: number) => new InternalMessage({ action: String(n) });

/** A list of `limit`, a flow over it, and a record of what was acknowledged and said. */
function setup(limit: number, overflow: 'pause' | 'dropoldest' = 'pause', resumeAt?: number) {
  const list = new MessageList({ limit });
  const acked: number[] = [];
  const said: string[] = [];
  const taken: string[] = [];
  let now = 1_000;
  const flow = new IncomingFlow(
    list,
    { overflow, resumeAt },
    {
      paused: (waiting) => said.push(`paused ${waiting}`),
      resumed: (ms) => said.push(`resumed after ${ms} ms`),
      dropped: () => said.push('dropped'),
      taken: (m, topic) => taken.push(`${m.action} ${topic}`),
    },
    () => now,
  );
  const offer = (n: number, redeliverable = true) => flow.offer(msg(n), () => acked.push(n), redeliverable, `t/${n}`);
  const pullAll = () => {
    const out: number[] = [];
    for (let m = list.pull(); m; m = list.pull()) out.push(Number(m.action));
    return out;
  };
  return { list, flow, acked, said, taken, offer, pullAll, tick: (ms: number) => (now += ms) };
}

describe('IncomingFlow (pause)', () => {
  it('acknowledges each message as soon as it is in the list, up to the limit', () => {
    const t = setup(3);
    [1, 2, 3].forEach((n) => t.offer(n));
    expect(t.acked).toEqual([1, 2, 3]);
    expect(t.list.size).toBe(3);
    expect(t.flow.paused).toBe(false);
  });

  it('holds the message and its acknowledgement when the list is full, and never drops', () => {
    const t = setup(4);
    [1, 2, 3, 4, 5].forEach((n) => t.offer(n));
    expect(t.acked).toEqual([1, 2, 3, 4]);
    expect(t.flow.paused).toBe(true);
    expect(t.said).toEqual(['paused 4']);
    expect(t.list.size).toBe(4); // bounded: the held message is not in the list
  });

  it('resumes at the low watermark (half the limit by default), not at the first pull', () => {
    const t = setup(4);
    [1, 2, 3, 4, 5].forEach((n) => t.offer(n));
    t.list.pull(); // 3 left: above the watermark (2)
    expect(t.acked).toEqual([1, 2, 3, 4]);
    t.tick(250);
    t.list.pull(); // 2 left: the held message goes in and is acknowledged
    expect(t.acked).toEqual([1, 2, 3, 4, 5]);
    expect(t.said).toEqual(['paused 4', 'resumed after 250 ms']);
    expect(t.flow.paused).toBe(false);
    expect(t.pullAll()).toEqual([3, 4, 5]);
  });

  it('keeps order across many pauses, and every message arrives exactly once', () => {
    const t = setup(10, 'pause', 3);
    const got: number[] = [];
    let next = 0;
    // The broker sends one message per acknowledgement; the interface takes a few at a time.
    const sendUntilHeld = () => {
      while (!t.flow.paused && next < 500) t.offer(next++);
    };
    sendUntilHeld();
    while (got.length < 500) {
      for (let i = 0; i < 4; i++) {
        const m = t.list.pull();
        if (m) got.push(Number(m.action));
      }
      sendUntilHeld();
    }
    expect(got).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(t.acked).toEqual(got);
  });

  it('after a lost connection, leaves a redeliverable message to the broker and keeps any other', () => {
    const t = setup(2);
    [1, 2].forEach((n) => t.offer(n));
    t.offer(3, true); // QoS 1 on a persistent session: the broker sends it again
    t.flow.connectionLost();
    expect(t.flow.paused).toBe(false);
    expect(t.said).toEqual(['paused 2', 'resumed after 0 ms']);
    expect(t.pullAll()).toEqual([1, 2]);

    const u = setup(2);
    [1, 2].forEach((n) => u.offer(n));
    u.offer(3, false); // QoS 0 or a clean session: nothing would bring it back
    u.flow.connectionLost();
    expect(u.flow.paused).toBe(true);
    u.list.pull();
    u.list.pull();
    expect(u.pullAll()).toEqual([3]);
    expect(u.acked).toEqual([1, 2]); // the old connection's acknowledgement is not sent
  });

  it('close() leaves what is held unacknowledged and takes nothing more', () => {
    const t = setup(1);
    [1, 2].forEach((n) => t.offer(n));
    expect(t.flow.close()).toBe(1);
    expect(t.offer(3)).toBe(false);
    t.list.pull();
    expect(t.acked).toEqual([1]);
    expect(t.list.size).toBe(0);
    // Only what went into the list was taken: not the held message, not the one refused.
    expect(t.taken).toEqual(['1 t/1']);
  });

  it('tells a held message as taken only once room was made', () => {
    const t = setup(2);
    [1, 2, 3].forEach((n) => t.offer(n));
    expect(t.taken).toEqual(['1 t/1', '2 t/2']);
    t.list.pull();
    t.list.pull();
    expect(t.taken).toEqual(['1 t/1', '2 t/2', '3 t/3']);
  });

  it('refuses a watermark that could never resume', () => {
    expect(() => setup(4, 'pause', 4)).toThrow(/resumeAt/);
    expect(() => setup(4, 'pause', -1)).toThrow(/resumeAt/);
  });
});

describe('IncomingFlow (dropoldest)', () => {
  it('never stops reading: acknowledges everything, drops the oldest and says so', () => {
    const t = setup(2, 'dropoldest');
    [1, 2, 3, 4].forEach((n) => t.offer(n));
    expect(t.acked).toEqual([1, 2, 3, 4]);
    expect(t.said).toEqual(['dropped', 'dropped']);
    expect(t.flow.paused).toBe(false);
    expect(t.pullAll()).toEqual([3, 4]);
  });
});
