// @mg/homie: Homie 5 for @mg gateways (see README.md).
export { homie, rootDevice } from './extension.js';
export { homieOptions } from './options.js';
export type { HomieOptions } from './options.js';
export { HomieBridge, PRESENCE_SUFFIX } from './homie-bridge.js';
export { buildTree, describeChild, describeRoot, HOMIE_VERSION, NODE_ID } from './description.js';
export type { DeviceDescription, NodeDescription, HomieTree, HomieChild, HomieProperty } from './description.js';
export { propertyFor, enumFormat, formatFloat, TRIGGER_PAYLOAD } from './property.js';
export type { PropertyDescription, HomieDatatype } from './property.js';
export { formatValue, parseValue, EMPTY_STRING } from './values.js';
export { DescriptionVersions } from './versions.js';
export { HomieTopics } from './topics.js';
export { toHomieId, isHomieId, uniqueIds, HOMIE_ID } from './ids.js';
