import { runInNewContext } from 'node:vm';
import { MgError, errorMessage, fileErrorReason, isMgError } from './index.js';

class MapError extends MgError {}

describe('MgError', () => {
  it('keeps the code, the message, the cause and the concrete class name', () => {
    const cause = new Error('ENOENT');
    const err = new MapError('MAP_NOT_FOUND', 'map file /x.map not found', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('MAP_NOT_FOUND');
    expect(err.message).toBe('map file /x.map not found');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('MapError');
    expect(String(err)).toBe('MapError: map file /x.map not found');
  });

  it('has no cause property when none is given', () => {
    expect('cause' in new MgError('X', 'y')).toBe(false);
  });

  it('isMgError checks the class and optionally the code', () => {
    const err = new MgError('A', 'a');
    expect(isMgError(err)).toBe(true);
    expect(isMgError(err, 'A')).toBe(true);
    expect(isMgError(err, 'B')).toBe(false);
    expect(isMgError(new Error('a'))).toBe(false);
  });

  it('errorMessage describes anything that can be thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    // An Error made in another realm is not instanceof this realm's Error.
    const foreign = runInNewContext('new Error("from elsewhere")') as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(errorMessage(foreign)).toBe('from elsewhere');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ a: 1 })).toBe('{"a":1}');
    expect(errorMessage(undefined)).toBe('undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorMessage(circular)).toBe('[object Object]');
  });

  it('fileErrorReason says why a file could not be read', () => {
    const err = (code: string) => Object.assign(new Error('x'), { code });
    expect(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EMFILE'].map((c) => fileErrorReason(err(c)))).toEqual([
      'it does not exist',
      'permission denied',
      'it is a directory',
      'a file stands where the path needs a directory',
      'EMFILE',
    ]);
    expect(fileErrorReason(new Error('odd'))).toBe('odd');
  });
});
