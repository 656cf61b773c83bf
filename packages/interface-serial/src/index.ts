// The public surface, locked by package.test.ts: what serial2mqtt's users, profile authors and
// custom launchers need. The profile engine's parts (zod schema, templates, encodings) stay inside.
export { ProfileError } from './errors.js';
export type { ProfileErrorCode, ProfileIssue } from './errors.js';
export type { Profile, ProfileInput } from './profile/schema.js';
export { loadProfile, loadProfileFile } from './profile/load.js';
export type { CompiledProfile, CommandResult, ParsedStatus, ProfilePoll, ProfileQueries, ProfileTransportOptions } from './profile/compiled.js';
export { profileJsonSchema } from './profile/json-schema.js';
export { renderProfileReference } from './profile/reference.js';
export { shippedProfileNames, shippedProfilePath } from './profile/shipped.js';
export { SerialInterface, CONNECTION_ACTION } from './serial-interface.js';
export type { SerialCounters } from './serial-interface.js';
export type { SerialOptions } from './interface/options.js';
export { serialInterfaceFor, configFileOf } from './interface/launch.js';
