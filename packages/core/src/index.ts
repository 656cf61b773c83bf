// The public API of @mg/core: what interface authors and launchers use. Everything else is
// internal and may change in any release. The testing kit is `@mg/core/testing`.

// The program (command line, signals, exit codes) and the library call.
export { startGateway } from './runtime/runner.js';
export type { RunOptions, GatewayHandle, ServiceContext, StartedService } from './runtime/runner.js';
export { createGateway } from './runtime/create.js';
export type { GatewayOptions } from './runtime/create.js';
export type { Gateway } from './runtime/gateway.js';
export type { GatewayEvents } from './runtime/events.js';
export type { GatewayCounters } from './runtime/counters.js';

// The contract an interface class fulfils.
export { InterfaceError } from './runtime/interface.js';
export type { GatewayInterface, InterfaceClass, InterfaceContext, InterfaceOptions } from './runtime/interface.js';

// Devices and the conventions that describe them (Home Assistant discovery, Homie).
export { DeviceError, parseDevices } from './model/device-binding.js';
export { deviceSchema, capabilitySchema } from './model/device.js';
export type { Device, DeviceInput, Capability, CapabilityKind, CapabilityValue, CommandBinding, StateBinding } from './model/device.js';
export type { DeviceDeclarations } from './runtime/interface.js';
export type {
  GatewayExtension,
  ExtensionContext,
  ExtensionInstance,
  ExtensionPublishOptions,
  DeviceWrite,
  DeviceView,
  Availability,
  Presence,
} from './runtime/extension.js';

// Messages.
export { InternalMessage, MessageError } from './model/message.js';
export type { MessageFields, MessageArguments } from './model/message.js';
export type { JsonValue } from './model/json.js';
export type { ArgumentOptions } from './model/argument.js';
export { MessageList } from './model/message-list.js';
export type { RejectReason } from './model/reject.js';
export type { Logger } from '@mg/app-properties';

// For applications that add sections to the configuration, and for generated references.
export { gatewaySections } from './runtime/gateway-config.js';
