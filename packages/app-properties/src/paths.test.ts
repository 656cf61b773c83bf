import { candidatePaths, resolvePath } from './paths.js';

const dirs = ['/etc/app', '/home/u/work', '/opt/app/bin'];

describe('resolvePath', () => {
  // [given, files that exist, expected]
  it.each<[string | undefined, string[], string]>([
    [undefined, [], '/etc/app/dummy.map'],
    ['', [], '/etc/app/dummy.map'],
    ['  ', [], '/etc/app/dummy.map'],
    ['.', [], '/etc/app/dummy.map'],
    ['.', ['/opt/app/bin/dummy.map'], '/opt/app/bin/dummy.map'],
    ['.', ['/home/u/work/dummy.map', '/opt/app/bin/dummy.map'], '/home/u/work/dummy.map'],
    ['/abs/my.map', [], '/abs/my.map'],
    ['/abs/../abs/./my.map', [], '/abs/my.map'],
    ['/abs/dir/', [], '/abs/dir/dummy.map'],
    ['maps/', [], '/etc/app/maps/dummy.map'],
    ['maps/', ['/opt/app/bin/maps/dummy.map'], '/opt/app/bin/maps/dummy.map'],
    ['my.map', [], '/etc/app/my.map'],
    ['my.map', ['/home/u/work/my.map'], '/home/u/work/my.map'],
    ['my.map', ['/home/u/work/my.map', '/etc/app/my.map'], '/etc/app/my.map'],
    ['sub/my.map', ['/opt/app/bin/sub/my.map'], '/opt/app/bin/sub/my.map'],
    ['../shared/my.map', [], '/etc/shared/my.map'],
  ])('%j with %j existing -> %s', (given, existing, expected) => {
    expect(resolvePath(given, { defaultName: 'dummy.map', dirs, exists: (p) => existing.includes(p) })).toBe(expected);
  });

  it('lists the places it looks, in order, without duplicates', () => {
    expect(candidatePaths('x.conf', { defaultName: 'a.conf', dirs: ['/a', '/b', '/a'] })).toEqual(['/a/x.conf', '/b/x.conf']);
    expect(candidatePaths('/abs/x.conf', { defaultName: 'a.conf', dirs: ['/a'] })).toEqual(['/abs/x.conf']);
  });

  it('needs a directory for relative names', () => {
    expect(() => resolvePath('x', { defaultName: 'x', dirs: [], exists: () => false })).toThrow(/at least one directory/);
  });
});
