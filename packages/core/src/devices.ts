// @mg/core/devices: the device model, for conventions that describe devices (Home Assistant
// discovery, Homie) and for interfaces that build descriptions: the schemas, their types, and
// the parser that checks what an interface declares. The types an interface author meets
// everywhere (Device, Capability, CapabilityValue, DeviceInput) are in the main entry too.
export { DeviceError, parseDevices } from './model/device-binding.js';
export { deviceSchema, capabilitySchema } from './model/device.js';
export { publishPolicySchema } from './model/publish-policy.js';
export type { PublishPolicy } from './model/publish-policy.js';
export type { Device, DeviceInput, Capability, CapabilityKind, CapabilityValue, CommandBinding, StateBinding } from './model/device.js';
