import { expandTopic } from './topic-template.js';

describe('expandTopic', () => {
  const values = { root: 'home/ground', app: 'dummy2mqtt', clientid: 'dummy-1' };
  it.each<[string, string, string]>([
    ['{root}/{clientid}/availability', 'home/ground', 'home/ground/dummy-1/availability'],
    ['{root}/{clientid}/availability', '', 'dummy-1/availability'],
    ['status/{app}', 'x', 'status/dummy2mqtt'],
    ['fixed/topic', 'x', 'fixed/topic'],
  ])('%s with root %j', (template, root, expected) => {
    expect(expandTopic(template, { ...values, root })).toBe(expected);
  });
});
