// The testing kit's memory logging is @mg/app-properties' own (one implementation), re-exported
// so that the kit's API stays `memoryLogging` and `MemoryLogging` from `@mg/core/testing`.
export { memoryLogging } from '@mg/app-properties';
export type { MemoryLogging } from '@mg/app-properties';
