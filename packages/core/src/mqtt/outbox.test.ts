import { Outbox, type OutboxEntry } from './outbox.js';

const entry = (topic: string, payload = 'x'): OutboxEntry => ({ topic, payload, qos: 0, retain: false });

describe('Outbox', () => {
  it('drains in order', () => {
    const o = new Outbox(10);
    o.push(entry('a'), false);
    o.push(entry('b'), false);
    o.push(entry('a', 'y'), false);
    expect(o.drain().map((e) => `${e.topic}${e.payload}`)).toEqual(['ax', 'bx', 'ay']);
    expect(o.size).toBe(0);
  });

  it('keeps only the latest status per topic, in the place of the first, and says so', () => {
    const o = new Outbox(10);
    expect(o.push(entry('lamp', 'on'), true).coalesced).toBe(false);
    o.push(entry('cmd', 'go'), false);
    expect(o.push(entry('lamp', 'off'), true).coalesced).toBe(true);
    expect(o.drain().map((e) => `${e.topic}=${e.payload}`)).toEqual(['lamp=off', 'cmd=go']);
  });

  it('shift() takes the oldest, so a queue sent one at a time keeps its order', () => {
    const o = new Outbox(10);
    o.push(entry('a'), true);
    o.push(entry('b'), false);
    o.push(entry('a', 'y'), true);
    expect(o.shift()).toMatchObject({ topic: 'a', payload: 'y' });
    o.push(entry('a', 'z'), true); // a new place: the earlier one has left
    expect([o.shift()?.topic, o.shift()?.payload, o.shift()]).toEqual(['b', 'z', undefined]);
  });

  it('drops the oldest beyond the bound and counts it', () => {
    const o = new Outbox(3);
    const dropped = ['a', 'b', 'c', 'd', 'e'].map((t) => o.push(entry(t), t === 'c').dropped);
    expect(dropped).toEqual([0, 0, 0, 1, 1]);
    expect(o.dropped).toBe(2);
    expect(o.drain().map((e) => e.topic)).toEqual(['c', 'd', 'e']);
    // A dropped status no longer coalesces: a new one takes a new place.
    o.push(entry('a'), true);
    expect(o.size).toBe(1);
  });

  it('stays at its bound however much is pushed', () => {
    const o = new Outbox(100);
    for (let i = 0; i < 100_000; i++) o.push(entry(`t${i % 5000}`), i % 2 === 0);
    expect(o.size).toBe(100);
  });

  it('refuses a bound below 1', () => {
    expect(() => new Outbox(0)).toThrow(RangeError);
  });
});
