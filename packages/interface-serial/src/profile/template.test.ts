import { parseTemplate, renderTemplate } from './template.js';

const parsed = (source: string) => {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.template;
};
const problems = (source: string) => {
  const result = parseTemplate(source);
  return result.ok ? [] : result.problems;
};

describe('command templates', () => {
  it('keeps literal text and lists the placeholders once, in order of use', () => {
    expect(parsed('PWON')).toEqual({ parts: [{ text: 'PWON' }], arguments: [] });
    expect(parsed('MV{level}')).toEqual({ parts: [{ text: 'MV' }, { argument: 'level' }], arguments: ['level'] });
    expect(parsed('{a}-{b}/{a}').arguments).toEqual(['a', 'b']);
  });

  it('reads {{ and }} as literal braces', () => {
    const t = parsed('SET {{x}} {value}}}');
    expect(t.parts).toEqual([{ text: 'SET {x} ' }, { argument: 'value' }, { text: '}' }]);
    expect(renderTemplate(t, { value: '7' })).toBe('SET {x} 7}');
  });

  it('renders each argument in its place, as often as it appears', () => {
    expect(renderTemplate(parsed('{a}:{b}:{a}'), { a: '1', b: '2' })).toBe('1:2:1');
    expect(renderTemplate(parsed('SI{source}'), { source: 'SAT/CBL' })).toBe('SISAT/CBL');
  });

  it('reports every syntax problem with its column', () => {
    expect(problems('MV{level')).toEqual(['"{" at column 3 is never closed: write {name} for an argument, "{{" for a literal "{"']);
    expect(problems('A}B')).toEqual(['"}" at column 2 closes nothing: write "}}" for a literal "}"']);
    expect(problems('MV{Level} {1x}')).toEqual([
      '{Level} at column 3 is not a placeholder: argument names start with a lower-case letter, then letters, digits or "_" ({level}); write "{{" for a literal "{"',
      '{1x} at column 11 is not a placeholder: argument names start with a lower-case letter, then letters, digits or "_" ({level}); write "{{" for a literal "{"',
    ]);
  });

  it('points formats written in the template to the argument definition', () => {
    expect(problems('MV{level:02}')).toEqual([
      "{level:02} at column 3: write {level}; how a value is written (pad, decimalSeparator, map) goes in the argument's definition",
    ]);
  });
});
