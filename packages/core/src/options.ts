// @mg/core/options: the helpers an interface declares its [INTERFACE] options with, so that an
// interface package needs nothing but @mg/core. They are @mg/config's own (one definition).
export { string, int, number, port, bool, choice, list } from '@mg/config';
// The Markdown table of an options shape, for a package README kept current by a test.
export { renderOptionsTable } from '@mg/config';
export type { OptionSchema, CommonOptions, RangeOptions } from '@mg/config';
