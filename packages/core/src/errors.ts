// `@mg/core/errors`: every error class core throws and the catalog of their codes (defined in
// error-catalog.ts, a leaf module every layer may import), locked by package.test.ts.
export { BrokerListError, DeviceError, ExtensionError, GatewayStateError, InterfaceError, MapError, MessageError } from './error-catalog.js';
export type {
  BrokerListErrorCode,
  CoreErrorCode,
  DeviceErrorCode,
  ExtensionErrorCode,
  GatewayStateErrorCode,
  InterfaceErrorCode,
  MapErrorCode,
  MessageErrorCode,
} from './error-catalog.js';
