import { TokenCache } from './topic-cache.js';
import { MessageMap } from './message-map.js';
import { InternalMessage } from './message.js';

describe('TokenCache', () => {
  it('keeps one value per five tokens and type', () => {
    const c = new TokenCache<string>(10);
    c.set('f', 'g', 'l', 'd', 's', true, 'cmd');
    c.set('f', 'g', 'l', 'd', 's', false, 'status');
    expect(c.get('f', 'g', 'l', 'd', 's', true)).toBe('cmd');
    expect(c.get('f', 'g', 'l', 'd', 's', false)).toBe('status');
    expect(c.get('f', 'g', 'l', 'd', 'x', true)).toBeUndefined();
    expect(c.get('', 'g', 'l', 'd', 's', true)).toBeUndefined();
  });

  it('starts over past its limit instead of growing', () => {
    const c = new TokenCache<number>(3);
    for (let i = 0; i < 4; i++) c.set('f', 'g', 'l', `d${i}`, 's', true, i);
    expect(c.get('f', 'g', 'l', 'd0', 's', true)).toBeUndefined();
    expect(c.get('f', 'g', 'l', 'd3', 's', true)).toBe(3);
  });
});

describe('MessageMap caches', () => {
  const map = MessageMap.fromObject({ root: 'r', topics: ['r/#'], gateway: { maptype: 'strict', map: { Dummy: ['dummy'] } } }, 'test', { gatewayName: 'gw' });

  it('give the same answers the second time, refusals included', () => {
    for (let round = 0; round < 2; round++) {
      expect(map.toInternal('r/f/dummy/l/d/s/C', 'x')).toMatchObject({ ok: true, value: { gateway: 'Dummy', action: 'x' } });
      expect(map.toInternal('r/f/other/l/d/s/C', 'x')).toMatchObject({ ok: false, reason: 'strict-miss' });
      expect(map.toInternal('r/f/dummy/l/d/gw/C', 'x')).toMatchObject({ ok: false, reason: 'echo' });
      expect(map.toMqtt(new InternalMessage({ gateway: 'Dummy', action: 'a' }))).toMatchObject({ ok: true, value: { topic: 'r//dummy///gw/S' } });
      expect(map.toMqtt(new InternalMessage({ gateway: 'Nope', action: 'a' }))).toMatchObject({ ok: false, reason: 'strict-miss' });
      expect(map.toMqtt(new InternalMessage({ gateway: 'Dummy', device: 'a/b', action: 'a' }))).toMatchObject({ ok: false, reason: 'bad-token' });
    }
  });

  it('does not keep the payload: each message gets its own action and arguments', () => {
    const a = map.toInternal('r/f/dummy/l/d/s/C', '{"action":"one","n":1}');
    const b = map.toInternal('r/f/dummy/l/d/s/C', '{"action":"two","n":2}');
    expect(a.ok && [a.value.action, a.value.arguments.n]).toEqual(['one', 1]);
    expect(b.ok && [b.value.action, b.value.arguments.n]).toEqual(['two', 2]);
  });
});
