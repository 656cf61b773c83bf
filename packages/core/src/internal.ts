// Not part of the public API: what the package's own scripts (generate, bench:convert) and the
// workspace's docs and benchmarks reach for. Anything here may change in any release.
export { mapJsonSchema } from './model/map-schema.js';
export { devicesJsonSchema } from './model/device.js';
export { MessageMap } from './model/message-map.js';
export { renderGatewayDefaults } from './runtime/gateway-config.js';
