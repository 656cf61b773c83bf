import { buildTopic, parseTopic, rootLevels } from './topic.js';

describe('parseTopic', () => {
  it.each<[string, string, object]>([
    ['home/lighting/gw/kitchen/lamp/me/C', 'home', { function: 'lighting', gateway: 'gw', location: 'kitchen', device: 'lamp', sender: 'me', isCmd: true }],
    ['home/lighting/gw/kitchen/lamp/me/S', 'home', { isCmd: false }],
    ['home/lighting//kitchen///C', 'home', { function: 'lighting', gateway: '', location: 'kitchen', device: '', sender: '', isCmd: true }],
    ['home/ground/lighting/gw/kitchen/lamp/me/C', 'home/ground', { function: 'lighting', location: 'kitchen' }],
    ['a/b/c/lighting/gw/kitchen/lamp/me/S', 'a/b/c', { function: 'lighting', sender: 'me' }],
    ['lighting/gw/kitchen/lamp/me/C', '', { function: 'lighting', sender: 'me' }],
    ['/////C', '', { function: '', gateway: '', location: '', device: '', sender: '' }],
  ])('%s under root %j', (topic, root, expected) => {
    const r = parseTopic(topic, rootLevels(root));
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it.each<[string, string, string]>([
    ['home/lighting/gw/kitchen/lamp/C', 'home', 'topic-levels'],
    ['home/lighting/gw/kitchen/lamp/me/x/C', 'home', 'topic-levels'],
    ['home/lighting/gw/kitchen/lamp/me/C', 'home/ground', 'topic-levels'],
    ['other/lighting/gw/kitchen/lamp/me/C', 'home', 'topic-root'],
    ['home/x/lighting/gw/kitchen/lamp/me/C', 'home/ground', 'topic-root'],
    ['home/lighting/gw/kitchen/lamp/me/X', 'home', 'topic-type'],
    ['home/lighting/gw/kitchen/lamp/me/c', 'home', 'topic-type'],
    ['home/lighting/gw/kitchen/lamp/me/', 'home', 'topic-type'],
    ['', 'home', 'topic-levels'],
  ])('rejects %j under root %j: %s', (topic, root, reason) => {
    const r = parseTopic(topic, rootLevels(root));
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
    if (!r.ok) expect(r.detail).toContain(JSON.stringify(topic));
  });
});

describe('buildTopic', () => {
  const tokens = { function: 'lighting', gateway: '', location: 'kitchen', device: 'lamp', sender: 'gw', isCmd: false };

  it('joins the root and the levels, empty ones included', () => {
    expect(buildTopic('home/ground', tokens)).toEqual({ ok: true, value: 'home/ground/lighting//kitchen/lamp/gw/S' });
    expect(buildTopic('', { ...tokens, isCmd: true })).toEqual({ ok: true, value: 'lighting//kitchen/lamp/gw/C' });
  });

  it.each(['a/b', '+', 'kit#chen', 'nul\u0000', '#'])('refuses a token containing %j', (bad) => {
    const r = buildTopic('home', { ...tokens, device: bad });
    expect(r.ok ? 'built' : r.reason).toBe('bad-token');
  });
});
