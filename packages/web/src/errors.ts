import { ExtensionError } from '@mg/core/errors';

/** This extension's codes. */
export type WebErrorCode = 'WEB_TOKEN_REQUIRED' | 'WEB_TOKEN_FILE' | 'WEB_LISTEN';

/**
 * A `[WEB]` setting that cannot work (a host reachable from the network without a token, a token
 * file that cannot be read, a port taken): an ExtensionError of the `WEB` section, so that the
 * gateway reports it as this extension's failure, not the interface's.
 */
export class WebError extends ExtensionError<WebErrorCode> {
  constructor(code: WebErrorCode, message: string, options?: { cause?: unknown }) {
    super('WEB', code, message, options);
  }
}
