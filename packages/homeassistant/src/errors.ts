import { ExtensionError } from '@mg/core/errors';

/** This extension's codes. */
export type HomeAssistantErrorCode = 'HOMEASSISTANT_TOPIC_INVALID';

/**
 * A `[HOMEASSISTANT]` setting that cannot work (a wildcard in a topic, a node id Home Assistant
 * refuses): an ExtensionError of the `HOMEASSISTANT` section, so the gateway reports it as this
 * extension's failure, not the interface's.
 */
export class HomeAssistantError extends ExtensionError<HomeAssistantErrorCode> {
  constructor(code: HomeAssistantErrorCode, message: string) {
    super('HOMEASSISTANT', code, message);
  }
}
