// @mg/homeassistant: Home Assistant MQTT discovery for @mg gateways. A launcher lists the
// extension (`extensions: [homeAssistant]`); the rest of the package is internal.
export { homeAssistant } from './extension.js';
export { homeAssistantOptions } from './options.js';
export type { HomeAssistantOptionShape } from './options.js';
export { HomeAssistantError } from './errors.js';
