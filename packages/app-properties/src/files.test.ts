import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError } from './errors.js';
import { readJsonFile } from './files.js';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mg-files-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readJsonFile', () => {
  it('reads JSON', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, '{"a": [1, 2]}');
    expect(readJsonFile(path)).toEqual({ a: [1, 2] });
  });

  it('names the file, line and column of a syntax error', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{\n  "a": 1,\n  "b": oops\n}\n');
    expect(() => readJsonFile(path, 'map file')).toThrow(new RegExp(`^map file ${path}:3:8 is not valid JSON`));
  });

  it('says when the file is missing or is a directory', () => {
    expect(() => readJsonFile(join(dir, 'nope.json'), 'map file')).toThrow(`map file ${join(dir, 'nope.json')} does not exist`);
    try {
      readJsonFile(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).code).toBe('FILE_UNREADABLE');
      expect((err as FileError).message).toContain('it is a directory');
    }
  });
});
