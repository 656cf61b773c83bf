export { startEmbeddedBroker, EmbeddedBrokerError } from './broker.js';
export type { EmbeddedBroker, EmbeddedBrokerErrorCode, EmbeddedBrokerOptions, BrokerLog } from './broker.js';
export { brokerSection } from './settings.js';
export type { BrokerSettings } from './settings.js';
export { embeddedBrokerHook } from './hook.js';
export type { BrokerHookContext } from './hook.js';
