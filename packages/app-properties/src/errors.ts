import { MgError, type MgErrorOptions } from '@mg/errors';

// The catalog of @mg/app-properties: one code per thing a caller may branch on, one class per
// kind of error (a file it reads, the command line, the log file it writes).

/** Every code @mg/app-properties throws with. */
export type AppPropertiesErrorCode = FileErrorCode | 'CLI_BAD_ARGUMENT' | 'LOG_FILE_UNWRITABLE';

/** Why a file could not be used: it is missing, unreadable, or not valid JSON. */
export type FileErrorCode = 'FILE_MISSING' | 'FILE_UNREADABLE' | 'JSON_INVALID';

/** A file read for the application (configuration, map, profile) that cannot be used; names the file and why. */
export class FileError extends MgError {
  declare readonly code: FileErrorCode;

  constructor(code: FileErrorCode, message: string, options?: MgErrorOptions) {
    super(code, message, options);
  }
}

/** A command line the application does not understand (`CLI_BAD_ARGUMENT`); the message says what to give. */
export class CommandLineError extends MgError {
  declare readonly code: 'CLI_BAD_ARGUMENT';

  constructor(message: string, options?: MgErrorOptions) {
    super('CLI_BAD_ARGUMENT', message, options);
  }
}

/** The log file cannot be written (`LOG_FILE_UNWRITABLE`): a directory missing rights, a path that is a directory. */
export class LogFileError extends MgError {
  declare readonly code: 'LOG_FILE_UNWRITABLE';

  constructor(message: string, options?: MgErrorOptions) {
    super('LOG_FILE_UNWRITABLE', message, options);
  }
}
