export { ProfileError } from './errors.js';
export type { ProfileErrorCode, ProfileIssue } from './errors.js';
export { profileSchema, ACTION_NAME, RESERVED_ARGUMENTS } from './profile/schema.js';
export type {
  Profile,
  ProfileInput,
  CommandDefinition,
  CommandArgumentDefinition,
  StatusDefinition,
  StatusArgumentDefinition,
} from './profile/schema.js';
export { ENCODINGS } from './profile/encodings.js';
export { loadProfile, loadProfileFile } from './profile/load.js';
export { CompiledProfile } from './profile/compiled.js';
export type { CommandResult, ParsedStatus, ProfileQueries, ProfileTransportOptions } from './profile/compiled.js';
export { parseTemplate, renderTemplate, ARGUMENT_NAME } from './profile/template.js';
export type { Template, TemplatePart, TemplateResult } from './profile/template.js';
export { profileJsonSchema, PROFILE_SCHEMA_ID } from './profile/json-schema.js';
export { renderProfileReference } from './profile/reference.js';
export { SHIPPED_PROFILES_DIR, shippedProfileNames, shippedProfilePath } from './profile/shipped.js';
export { SerialInterface, CONNECTION_ACTION } from './serial-interface.js';
export type { SerialCounters } from './serial-interface.js';
export { serialOptions } from './interface/options.js';
export type { SerialOptions } from './interface/options.js';
export { serialInterfaceFor, configFileOf } from './interface/launch.js';
export { locateProfile, openProfile, profileDirs } from './interface/profile-source.js';
