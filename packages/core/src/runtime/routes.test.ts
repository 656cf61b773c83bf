import { Routes, topicMatches } from './routes.js';

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['+/+/set', 'x/y/set', true],
    ['+/+/set', 'x/y/state', false],
    ['#', '$SYS/x', false],
    ['a/b', 'a/bc', false],
  ])('%s against %s: %s', (filter, topic, expected) => expect(topicMatches(filter, topic)).toBe(expected));
});

describe('Routes', () => {
  it('gives the handler of the first matching filter, and nothing for other topics', () => {
    const r = new Routes<string>();
    r.add('homeassistant/status', 'birth');
    r.add('home/gw/ha/#', 'own');
    expect(r.find('homeassistant/status')).toBe('birth');
    expect(r.find('home/gw/ha/receiver/volume/set')).toBe('own');
    expect(r.find('home/gw/hall')).toBeUndefined();
    expect(r.find('home/audiovideo/x/y/z/w/C')).toBeUndefined();
  });
});
