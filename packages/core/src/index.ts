// The public API of @mg/core: what interface authors and launchers use, locked by
// package.test.ts. Everything else is internal and may change in any release. Beside it:
// `@mg/core/options` (option helpers, the gateway's sections), `@mg/core/devices` (the device
// model), `@mg/core/extensions` (conventions and services), `@mg/core/testing` (the kit).

// The program (command line, signals, exit codes) and the library call.
export { startGateway } from './runtime/runner.js';
export type { RunOptions, GatewayHandle } from './runtime/runner.js';
export { createGateway } from './runtime/create.js';
export type { GatewayOptions } from './runtime/create.js';
export type { Gateway } from './runtime/gateway.js';
export type { GatewayEvents } from './runtime/events.js';
export type { GatewayCounters } from './runtime/counters.js';

// The contract an interface class fulfils.
export type { GatewayInterface, InterfaceClass, InterfaceContext, InterfaceOptions, DeviceDeclarations, AvailabilitySource } from './runtime/interface.js';

// The devices an interface declares (the whole model is on `@mg/core/devices`).
export type { Device, DeviceInput, Capability, CapabilityValue } from './model/device.js';

// Messages.
export { InternalMessage } from './model/message.js';
export type { MessageFields, MessageArguments, ReplyOutcome, SenderWords } from './model/message.js';
export type { JsonValue } from './model/json.js';
export type { ArgumentOptions } from './model/argument.js';
export { MessageList } from './model/message-list.js';
export type { Logger } from '@mg/app-properties';

// The errors interface and extension authors throw and catch (the whole catalog, with
// CoreErrorCode, is on `@mg/core/errors`).
export { InterfaceError, ExtensionError, MessageError } from './error-catalog.js';
