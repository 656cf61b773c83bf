import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docOnDisk, docSection, tableColumns, updateDocSection, withSection } from './generated-docs.js';

describe('withSection', () => {
  it('replaces only what lies between the markers', () => {
    const text = 'intro\n<!-- options:start -->\nold table\n<!-- options:end -->\nrest\n';
    expect(withSection(text, 'options', 'new table')).toBe('intro\n<!-- options:start -->\nnew table\n<!-- options:end -->\nrest\n');
  });

  it('names the markers it did not find', () => {
    expect(() => withSection('no markers here', 'options', 'x')).toThrow('<!-- options:start -->');
  });
});

describe('docSection and tableColumns', () => {
  it('reads what lies between the markers, undefined without them', () => {
    expect(docSection('a\n<!-- t:start -->\n| x | y |\n<!-- t:end -->\n', 't')).toBe('| x | y |\n');
    expect(docSection('no markers', 't')).toBeUndefined();
  });

  it("gives a table's column titles", () => {
    expect(tableColumns('| Scenario |   Sent |\n|---|--:|\n| a | 1 |')).toEqual(['Scenario', 'Sent']);
  });
});

describe('docOnDisk and updateDocSection', () => {
  let dir: string;
  const saved = process.env.UPDATE_DOCS;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'docs-'))));
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.UPDATE_DOCS;
    else process.env.UPDATE_DOCS = saved;
  });

  it('reads the file as it is, so a drifted page differs from the wanted text', () => {
    const path = join(dir, 'page.md');
    writeFileSync(path, 'old');
    delete process.env.UPDATE_DOCS;
    expect(docOnDisk(path, 'new')).toBe('old');
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it('rewrites the file with UPDATE_DOCS=1', () => {
    const path = join(dir, 'page.md');
    writeFileSync(path, 'old');
    process.env.UPDATE_DOCS = '1';
    expect(docOnDisk(path, 'new')).toBe('new');
  });

  it('updateDocSection leaves the page alone without UPDATE_DOCS=1', () => {
    const path = join(dir, 'page.md');
    writeFileSync(path, 'intro\n<!-- table:start -->\nold\n<!-- table:end -->\n');
    delete process.env.UPDATE_DOCS;
    expect(updateDocSection(path, 'table', 'new')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('intro\n<!-- table:start -->\nold\n<!-- table:end -->\n');
  });

  it('updateDocSection rewrites only the section with UPDATE_DOCS=1', () => {
    const path = join(dir, 'page.md');
    writeFileSync(path, 'intro\n<!-- table:start -->\nold\n<!-- table:end -->\nrest\n');
    process.env.UPDATE_DOCS = '1';
    expect(updateDocSection(path, 'table', 'new')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('intro\n<!-- table:start -->\nnew\n<!-- table:end -->\nrest\n');
  });
});
