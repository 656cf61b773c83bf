import { readFileSync } from 'node:fs';
import { describeIssues } from '@mg/config';
import { fileErrorReason } from '@mg/errors';
import { ProfileError } from '../errors.js';
import { CompiledProfile } from './compiled.js';
import { jsonErrorOffset } from '@mg/app-properties';
import { profileKeys } from './json-schema.js';
import { profileSchema } from './schema.js';

/**
 * Validates a parsed profile and compiles it. `where` names it in messages (a file path,
 * "profile denon-avr"). Throws a ProfileError (`PROFILE_INVALID`) listing every problem, one
 * line each with its JSON path.
 */
export function loadProfile(source: unknown, where: string): CompiledProfile {
  const parsed = profileSchema.safeParse(source);
  if (!parsed.success) {
    // Paths as a profile author reads them (`commands.VOL_SET.send`); every key of the profile
    // language is offered for "did you mean", and one that exists elsewhere is "here".
    const keys = profileKeys();
    const issues = describeIssues(parsed.error.issues, source, { root: '', knownKeys: () => keys });
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    throw new ProfileError('PROFILE_INVALID', `${where}: invalid profile, ${count}:\n  ${issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`, {
      issues,
    });
  }
  return new CompiledProfile(parsed.data, where);
}

/** Reads a profile file (JSON; a syntax error is reported with its line and column) and loads it. */
export function loadProfileFile(path: string): CompiledProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ProfileError(
      missing ? 'PROFILE_NOT_FOUND' : 'PROFILE_UNREADABLE',
      missing ? `profile ${path} does not exist` : `profile ${path} cannot be read (${fileErrorReason(cause)})`,
      { cause },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const offset = jsonErrorOffset(text);
    let where = path;
    if (offset >= 0) {
      const before = text.slice(0, offset);
      where = `${path}:${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
    }
    throw new ProfileError('PROFILE_NOT_JSON', `profile ${where} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return loadProfile(data, path);
}
