import { Outbox, type OutboxEntry } from './outbox.js';

const entry = (topic: string, payload = 'x'): OutboxEntry => ({ kind: 'interface', topic, payload, qos: 0, retain: false });

describe('Outbox', () => {
  it('drains in order', () => {
    const o = new Outbox(10);
    o.push(entry('a'));
    o.push(entry('b'));
    o.push(entry('a', 'y'));
    expect(o.drain().map((e) => `${e.topic}${e.payload.toString()}`)).toEqual(['ax', 'bx', 'ay']);
    expect(o.size).toBe(0);
  });

  it('keeps only the latest message per coalescing key (a state), moved last, and says so', () => {
    const o = new Outbox(10);
    expect(o.push(entry('lamp', 'on'), 'lamp').coalesced).toBe(false);
    o.push(entry('cmd', 'go'));
    expect(o.push(entry('lamp', 'off'), 'lamp').coalesced).toBe(true);
    expect(o.drain().map((e) => `${e.topic}=${e.payload.toString()}`)).toEqual(['cmd=go', 'lamp=off']);
  });

  it('shift() takes the oldest, so a queue sent one at a time keeps its order', () => {
    const o = new Outbox(10);
    o.push(entry('a'), 'a');
    o.push(entry('b'));
    o.push(entry('a', 'y'), 'a'); // replaces 'a' and goes after 'b'
    expect(o.shift()).toMatchObject({ topic: 'b' });
    o.push(entry('c'));
    expect([o.shift()?.payload, o.shift()?.topic, o.shift()]).toEqual(['y', 'c', undefined]);
  });

  it('drops the oldest beyond the bound and counts it', () => {
    const o = new Outbox(3);
    const dropped = ['a', 'b', 'c', 'd', 'e'].map((t) => o.push(entry(t), t === 'c' ? t : undefined).dropped);
    expect(dropped).toEqual([0, 0, 0, 1, 1]);
    expect(o.dropped).toBe(2);
    expect(o.drain().map((e) => e.topic)).toEqual(['c', 'd', 'e']);
    // A dropped status no longer coalesces: a new one takes a new place.
    o.push(entry('a'), 'a');
    expect(o.size).toBe(1);
  });

  it('stays at its bound however much is pushed', () => {
    const o = new Outbox(100);
    for (let i = 0; i < 100_000; i++) o.push(entry(`t${i % 5000}`), i % 2 === 0 ? `t${i % 5000}` : undefined);
    expect(o.size).toBe(100);
  });

  it('refuses a bound below 1', () => {
    expect(() => new Outbox(0)).toThrow(RangeError);
  });
});

describe('Outbox keys', () => {
  it('keeps two states of one device apart when their keys differ (power and volume share a topic)', () => {
    const o = new Outbox(10);
    o.push(entry('home/av/receiver/S', 'power_on'), 'home/av/receiver/S\u0000POWER');
    o.push(entry('home/av/receiver/S', '{"action":"volume","level":40}'), 'home/av/receiver/S\u0000VOLUME');
    o.push(entry('home/av/receiver/S', '{"action":"volume","level":45}'), 'home/av/receiver/S\u0000VOLUME');
    expect(o.drain().map((e) => e.payload)).toEqual(['power_on', '{"action":"volume","level":45}']);
  });
});
