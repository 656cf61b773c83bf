// @mg/homeassistant: Home Assistant MQTT discovery for @mg gateways.
export { homeAssistant, homeAssistantExtension, settingsFor } from './extension.js';
export { homeAssistantOptions } from './options.js';
export type { HomeAssistantOptionShape } from './options.js';
export type { BridgeTuning } from './bridge.js';
export { HomeAssistantError } from './errors.js';
export { buildDiscovery, componentConfig, deviceBlock } from './discovery.js';
export type { DiscoveryConfig, DiscoverySettings } from './discovery.js';
export { platformFor } from './platforms.js';
export type { Platform } from './platforms.js';
export { formatState, parseCommand } from './values.js';
export { uniqueId, deviceIdentifier, defaultEntityId, nodeIdFor } from './ids.js';
export { DiscoveryTopics, EntityTopics } from './topics.js';
export { ORIGIN_NAME } from './origin.js';
