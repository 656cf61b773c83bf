// The errors @mg/core throws: one catalog of codes and the classes callers branch on
// (`@mg/core/errors`). A leaf module: it imports nothing of core, so every layer can use it.
import { MgError, type MgErrorOptions } from '@mg/errors';

/** A map file or object that cannot be used. */
export type MapErrorCode = 'MAP_INVALID' | 'MAP_UNREADABLE';
/** A message argument the interface asked for is missing or of the wrong type. */
export type MessageErrorCode = 'ARGUMENT_MISSING' | 'ARGUMENT_INVALID';
/** A device description that cannot be used, or a device id that names no declared device. */
export type DeviceErrorCode = 'DEVICE_INVALID' | 'DEVICE_UNKNOWN';
export type BrokerListErrorCode = 'MQTT_HOST_INVALID';
export type InterfaceErrorCode = 'INTERFACE_INVALID' | 'INTERFACE_START_FAILED';
export type ExtensionErrorCode = 'EXTENSION_START_FAILED' | 'EXTENSION_ROUTE_OVERLAP' | 'EXTENSION_OPTIONS_INVALID';
export type GatewayStateErrorCode = 'GATEWAY_ALREADY_STARTED';

/** Every code @mg/core throws (configuration errors are @mg/config's `ConfigError`). */
export type CoreErrorCode =
  MapErrorCode | MessageErrorCode | DeviceErrorCode | BrokerListErrorCode | InterfaceErrorCode | ExtensionErrorCode | GatewayStateErrorCode;

/** A map file or object that cannot be used; the message names the file and the JSON path. */
export class MapError extends MgError<MapErrorCode> {}

/** `msg.arg()`: an argument is missing or cannot be read as the type asked for. */
export class MessageError extends MgError<MessageErrorCode> {}

/**
 * A device description that cannot be used (the message lists every issue with its path), or an
 * id given to `ctx.devices` that no declared device has (`DEVICE_UNKNOWN`).
 */
export class DeviceError extends MgError<DeviceErrorCode> {}

/** An entry of `[MQTT] host` that cannot be a broker address; `entry` counts from 1. */
export class BrokerListError extends MgError<BrokerListErrorCode> {
  constructor(
    readonly entry: number,
    readonly text: string,
    readonly expected: string,
  ) {
    super('MQTT_HOST_INVALID', expected);
  }
}

/**
 * An interface cannot work: a class of the wrong shape, or its constructor or `start()` failed
 * (`cause` is what it threw). An interface may throw it with codes of its own.
 */
export class InterfaceError<C extends string = InterfaceErrorCode> extends MgError<C> {}

/**
 * An extension (Home Assistant discovery, Homie) cannot work: `extension` is its configuration
 * section (`HOMEASSISTANT`). An extension may subclass it with codes of its own.
 */
export class ExtensionError<C extends string = ExtensionErrorCode> extends MgError<C> {
  constructor(
    readonly extension: string,
    code: C,
    message: string,
    options?: MgErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** A gateway used out of order (`start()` called twice): a bug in the program that drives it. */
export class GatewayStateError extends MgError<GatewayStateErrorCode> {}
