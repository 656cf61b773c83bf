// @mg/core/options: configuration. The helpers an interface declares its [INTERFACE] options
// with, so that an interface package needs nothing but @mg/core (they are @mg/config's own, one
// definition), and the gateway's own sections.
export { string, int, number, port, address, bool, choice, list } from '@mg/config';
// The Markdown table of an options shape, for a package README kept current by a test.
export { renderOptionsTable } from '@mg/config';
export type { OptionSchema, CommonOptions, RangeOptions, AddressOptions } from '@mg/config';
// The gateway's own sections, for applications that add sections to the configuration and for
// generated references: `defineConfig({ ...gatewaySections, MYAPP: section(...) })`.
export { gatewaySections } from './runtime/gateway-config.js';
