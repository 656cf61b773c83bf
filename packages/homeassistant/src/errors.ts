import { InterfaceError } from '@mg/core';

/**
 * A `[HOMEASSISTANT]` setting that cannot work (a wildcard in a topic, a node id Home Assistant
 * refuses). An InterfaceError (an MgError with a code) because this package depends on @mg/core
 * alone; the gateway reports it like any other start-up failure.
 */
export class HomeAssistantError extends InterfaceError {}
