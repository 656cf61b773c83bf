import { compileLinePattern } from './line-pattern.js';

const compiled = (source: string) => {
  const result = compileLinePattern(source);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.pattern;
};
const problems = (source: string) => {
  const result = compileLinePattern(source);
  return result.ok ? [] : result.problems;
};

describe('line patterns', () => {
  it('match whole lines only', () => {
    const { regex } = compiled('MV(\\d\\d)');
    expect(regex.test('MV45')).toBe(true);
    expect(regex.test('MV455')).toBe(false);
    expect(regex.test('xMV45')).toBe(false);
    // An alternation stays inside the anchors.
    expect(compiled('PWON|PWSTANDBY').regex.test('PWONx')).toBe(false);
  });

  it('count capture groups and name the named ones', () => {
    expect(compiled('PWON')).toMatchObject({ groups: 0, groupNames: [] });
    expect(compiled('(a)(?:b)(?<level>\\d+)(c)?')).toMatchObject({ groups: 3, groupNames: ['level'] });
  });

  it('report an invalid regular expression in its own words, without the anchors', () => {
    expect(problems('MV(\\d')).toEqual(['invalid regular expression: Unterminated group']);
    expect(problems('a)')).toEqual(["invalid regular expression: Unmatched ')'"]);
    expect(problems('[z-a]')).toEqual(['invalid regular expression: Range out of order in character class']);
  });

  it.each(['(a+)+', '(.*)*', '(?:\\d+)+', '([A-Z]+\\s?)*', '(x|y+){2,}', '((ab)*c)+', '(a*?)+'])('refuse the catastrophic shape %s', (source) => {
    expect(problems(source)).toEqual([expect.stringMatching(/^nested quantifier ".*" can take exponential time on a long line/)]);
  });

  it.each(['(\\d\\d)+', '(ab)+', '\\d+x\\d+', '[(a+)]+', '\\(a+\\)+', '(a+)?', '(a+){1}', 'SI([0-9A-Z./]{1,16})', '(?<n>\\d{1,3})*'])(
    'accept the harmless shape %s',
    (source) => {
      expect(problems(source)).toEqual([]);
    },
  );
});
