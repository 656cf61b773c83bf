/** Options every @mg error accepts. */
export interface MgErrorOptions {
  /** The underlying error, kept for diagnosis (standard `Error.cause`). */
  cause?: unknown;
}

/**
 * The base of every error @mg throws on purpose.
 *
 * `code` is stable and machine-readable (`CONFIG_INVALID`, `MAP_INVALID`, `INTERFACE_START_FAILED`, ...);
 * `message` says what happened, where, and what to do about it. A package narrows `C` to its
 * catalog of codes (a string-literal union), so that a caller's `switch (err.code)` is checked.
 */
export class MgError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options: MgErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // `name` follows the concrete class so logs and stack traces say which error it is.
    this.name = new.target.name;
  }
}

/** True when `err` is an MgError (optionally with the given code). */
export function isMgError(err: unknown, code?: string): err is MgError {
  return err instanceof MgError && (code === undefined || err.code === code);
}

/** The message of anything thrown, for logs: never `[object Object]`. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  // An Error from another realm (a native module, a vm context, jest's sandbox) fails instanceof.
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** Why a file operation failed, in words (`permission denied`, `it is a directory`, ...). */
export function fileErrorReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file stands where the path needs a directory';
  return code ?? errorMessage(err);
}
