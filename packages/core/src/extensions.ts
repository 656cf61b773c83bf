// @mg/core/extensions: what a launcher plugs into a gateway beside the interface: conventions
// (Home Assistant discovery, Homie), each turned on by its own section, and services started
// before the gateway connects (an embedded broker). Interface authors need none of it.
export type {
  GatewayExtension,
  ExtensionContext,
  ExtensionInstance,
  ExtensionPublishOptions,
  DeviceWrite,
  DeviceView,
  Availability,
  Presence,
  GatewayView,
  ExtensionFiles,
  WriteOutcome,
} from './runtime/extension.js';
export type { ServiceContext, StartedService } from './runtime/runner.js';
