import { IncomingFlow } from './incoming-flow.js';
import { InternalMessage } from '../model/message.js';
import { IncomingList } from './incoming-list.js';

const msg = (n: number) => new InternalMessage({ action: String(n) });

/** A list of `limit`, a flow over it, and a record of what was acknowledged and said. */
function setup(limit: number, overflow: 'pause' | 'dropoldest' = 'pause', resumeAt?: number, acknowledge: 'received' | 'taken' = 'received') {
  const list = new IncomingList({ limit });
  const acked: number[] = [];
  const said: string[] = [];
  const taken: string[] = [];
  let now = 1_000;
  const flow = new IncomingFlow(
    list,
    { overflow, resumeAt, acknowledge },
    {
      paused: (waiting) => said.push(`paused ${waiting}`),
      reading: (stopped) => said.push(stopped ? 'reading stopped' : 'reading'),
      withdrawn: (m) => said.push(`withdrawn ${m.action}`),
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
    expect(t.said).toEqual(['paused 4', 'reading stopped']);
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
    expect(t.said).toEqual(['paused 4', 'reading stopped', 'resumed after 250 ms', 'reading']);
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

  it('keeps held messages across a lost connection; a CONNACK with the session drops those the broker sends again', () => {
    const t = setup(2);
    [1, 2].forEach((n) => t.offer(n));
    t.offer(3, true); // QoS 1 on a persistent session
    t.flow.connectionLost();
    t.pullAll(); // room while disconnected: 3 waits for the broker's word, not delivered
    expect(t.flow.paused).toBe(true);
    expect(t.flow.connected(true)).toEqual({ leftToBroker: 1, kept: 0 });
    expect(t.flow.paused).toBe(false);
    expect(t.said).toEqual(['paused 2', 'reading stopped', expect.stringMatching(/^resumed/), 'reading']);
    expect(t.taken).toEqual(['1 t/1', '2 t/2']);
    expect(t.acked).toEqual([1, 2]); // the old connection's acknowledgement is never sent
  });

  it('delivers them, in order and before anything newer, when the broker lost the session', () => {
    const t = setup(2);
    [1, 2].forEach((n) => t.offer(n));
    t.offer(3, true);
    t.flow.connectionLost();
    expect(t.flow.connected(false)).toEqual({ leftToBroker: 0, kept: 1 });
    t.offer(4, true); // the new connection's first message comes behind it
    expect(t.pullAll()).toEqual([1, 2, 3, 4]);
    expect(t.acked).toEqual([1, 2, 4]);
    expect(t.flow.paused).toBe(false);
  });

  it('delivers one waiting at once if the interface made room while the broker was away', () => {
    const t = setup(2);
    [1, 2, 3].forEach((n) => t.offer(n));
    t.flow.connectionLost();
    t.list.pull();
    t.list.pull();
    expect(t.list.size).toBe(0);
    t.flow.connected(false);
    expect(t.pullAll()).toEqual([3]);
    expect(t.flow.paused).toBe(false);
  });

  it('lets a message the broker would not send again (QoS 0, clean session) go on while disconnected', () => {
    const t = setup(2);
    [1, 2].forEach((n) => t.offer(n));
    t.offer(3, false);
    t.flow.connectionLost();
    t.list.pull();
    t.list.pull();
    expect(t.pullAll()).toEqual([3]);
    expect(t.flow.paused).toBe(false);
    expect(t.flow.connected(true)).toEqual({ leftToBroker: 0, kept: 0 });
    expect(t.acked).toEqual([1, 2]);
  });

  it('decides only for the lost connection: a message held on the new one keeps its acknowledgement', () => {
    const t = setup(1);
    t.offer(1);
    t.offer(2, true);
    t.flow.connectionLost();
    t.flow.connected(false); // 2 kept
    t.offer(3, true); // held behind 2, acknowledged once in the list
    t.flow.connectionLost();
    t.flow.connected(true); // 2 is no longer undecided, 3 is: left to the broker
    expect(t.pullAll()).toEqual([1, 2]);
    expect(t.flow.paused).toBe(false);
    expect(t.acked).toEqual([1]);
  });

  it('several losses before a CONNACK: one decision for all', () => {
    const t = setup(1);
    t.offer(1);
    t.offer(2, true);
    t.flow.connectionLost();
    t.flow.connectionLost(); // a failed attempt
    t.flow.connected(false);
    t.list.pull();
    expect(t.pullAll()).toEqual([2]);
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

describe('IncomingFlow (acknowledge: taken)', () => {
  const taken = (limit = 4) => setup(limit, 'pause', undefined, 'taken');

  it('acknowledges a redeliverable message only once the interface takes it; reading stops meanwhile', () => {
    const t = taken();
    t.offer(1);
    expect(t.list.size).toBe(1);
    expect(t.acked).toEqual([]);
    expect(t.said).toEqual(['reading stopped']);
    expect(t.taken).toEqual(['1 t/1']); // in the list: counted as delivered
    expect(t.list.pull()?.action).toBe('1');
    expect(t.acked).toEqual([1]);
    expect(t.said).toEqual(['reading stopped', 'reading']);
    expect(t.flow.paused).toBe(false);
  });

  it('acknowledges at once what the broker would not send again (QoS 0, clean session)', () => {
    const t = taken();
    t.offer(1, false);
    expect(t.acked).toEqual([1]);
    expect(t.said).toEqual([]);
  });

  it('one handed straight to a waiting iterator is taken, and acknowledged, at once', async () => {
    const t = taken();
    const it = t.list[Symbol.asyncIterator]();
    const next = it.next();
    t.offer(1);
    expect(t.acked).toEqual([1]);
    expect((await next).value?.action).toBe('1');
    expect(t.list.size).toBe(0);
  });

  it('an untaken one at a lost connection goes back for the CONNACK to decide: session present, it is left to the broker', () => {
    const t = taken();
    t.offer(1, false);
    t.offer(2);
    t.flow.connectionLost();
    expect(t.pullAll()).toEqual([1]); // not 2: the broker may send it again
    expect(t.flow.connected(true)).toEqual({ leftToBroker: 1, kept: 0 });
    expect(t.said).toEqual(['reading stopped', 'withdrawn 2', 'reading']);
    t.offer(2); // the broker's copy
    expect(t.pullAll()).toEqual([2]);
    expect(t.acked).toEqual([1, 2]);
  });

  it('no session: it is delivered, before anything newer, and its acknowledgement is not sent on the new connection', () => {
    const t = taken();
    t.offer(2);
    t.flow.connectionLost();
    expect(t.flow.connected(false)).toEqual({ leftToBroker: 0, kept: 1 });
    t.offer(3);
    expect(t.pullAll()).toEqual([2, 3]);
    expect(t.acked).toEqual([3]);
    expect(t.taken).toEqual(['2 t/2', '3 t/3']); // told once each
  });

  it('a held message (full list) waits for the interface to take it once room was made', () => {
    const t = taken(1);
    t.offer(1, false);
    t.offer(2); // held: the list is full
    expect(t.acked).toEqual([1]);
    expect(t.list.pull()?.action).toBe('1'); // room: 2 goes in, its acknowledgement still held
    expect(t.acked).toEqual([1]);
    expect(t.flow.paused).toBe(false);
    expect(t.list.pull()?.action).toBe('2');
    expect(t.acked).toEqual([1, 2]);
  });

  it('with dropoldest, acknowledges on entry as ever', () => {
    const t = setup(2, 'dropoldest', undefined, 'taken');
    t.offer(1);
    expect(t.acked).toEqual([1]);
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
