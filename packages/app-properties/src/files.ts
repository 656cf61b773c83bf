import { readFileSync } from 'node:fs';
import { fileErrorReason } from '@mg/errors';
import { FileError } from './errors.js';
import { jsonErrorOffset } from './json-position.js';

/** Reads a text file; a missing or unreadable file is a FileError that names it and says why. */
export function readTextFile(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FileError('FILE_MISSING', `${what} ${path} does not exist`, { cause });
    throw new FileError('FILE_UNREADABLE', `${what} ${path} cannot be read (${fileErrorReason(cause)})`, { cause });
  }
}

/** Parses JSON text; a syntax error names the file, the line and the column. */
export function parseJsonText(text: string, path: string, what = 'JSON file'): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const detail = (cause as Error).message;
    const offset = jsonErrorOffset(text);
    let where = path;
    if (offset >= 0) {
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      where = `${path}:${line}:${column}`;
    }
    throw new FileError('JSON_INVALID', `${what} ${where} is not valid JSON: ${detail}`, { cause });
  }
}

/** Reads and parses a JSON file, with the errors of both steps. */
export function readJsonFile(path: string, what = 'JSON file'): unknown {
  return parseJsonText(readTextFile(path, what), path, what);
}
