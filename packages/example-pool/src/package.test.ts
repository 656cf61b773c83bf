import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from './index.js';

/** Lines that are code: not blank, not a comment (`//`, or a line of a `/** ... *\/` block). */
function codeLines(source: string): string[] {
  return source.split('\n').filter((line) => {
    const t = line.trim();
    return t !== '' && !t.startsWith('//') && !t.startsWith('/*') && !t.startsWith('*');
  });
}

describe('@mg/example-pool', () => {
  it('exports the interface and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(['PoolInterface']);
  });

  it('holds the pool controller in at most 60 lines of interface code (issue 23)', () => {
    const source = readFileSync(join(__dirname, 'pool-interface.ts'), 'utf8');
    expect(codeLines(source).length).toBeLessThanOrEqual(60);
  });

  it('counts lines as the issue does: blank lines and comments are not code', () => {
    expect(codeLines('a();\n\n  // why\n/** doc\n * more\n */\n  b(); // trailing\n')).toEqual(['a();', '  b(); // trailing']);
  });
});
