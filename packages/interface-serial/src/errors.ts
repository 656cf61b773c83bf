import { MgError, type MgErrorOptions } from '@mg/errors';

/** One problem found in a profile: where (a JSON path such as `commands.VOL_SET.send`) and what. */
export interface ProfileIssue {
  path: string;
  message: string;
}

export type ProfileErrorCode = 'PROFILE_INVALID' | 'PROFILE_NOT_FOUND' | 'PROFILE_UNREADABLE' | 'PROFILE_NOT_JSON';

/**
 * A profile that cannot be used. `PROFILE_INVALID` lists every problem, one line each, with its
 * JSON path (also in `issues`, for `--check`); the other codes say why the file could not be read.
 */
export class ProfileError extends MgError {
  declare readonly code: ProfileErrorCode;
  readonly issues: readonly ProfileIssue[];

  constructor(code: ProfileErrorCode, message: string, options: MgErrorOptions & { issues?: readonly ProfileIssue[] } = {}) {
    super(code, message, options);
    this.issues = options.issues ?? [];
  }
}
