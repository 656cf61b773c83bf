import { startEmbeddedBroker, type BrokerLog, type EmbeddedBroker } from './broker.js';
import type { BrokerSettings } from './settings.js';

export interface BrokerHookContext {
  config: { BROKER?: BrokerSettings; MQTT?: { host: string; port: number } };
  logger: BrokerLog;
}

const LOCAL = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0']);

/**
 * For `startGateway(..., { sections: { BROKER: brokerSection }, beforeConnect: embeddedBrokerHook })`:
 * starts the embedded broker when `[BROKER] embedded` is on, and nothing otherwise. It never
 * replaces a configured external broker: when `[MQTT]` points elsewhere, it says so.
 */
export async function embeddedBrokerHook(ctx: BrokerHookContext): Promise<EmbeddedBroker | undefined> {
  const settings = ctx.config.BROKER;
  if (!settings?.embedded) return undefined;
  const mqtt = ctx.config.MQTT;
  if (mqtt && (mqtt.port !== settings.port || !LOCAL.has(mqtt.host))) {
    ctx.logger.warn(
      `the embedded broker listens on ${settings.host}:${settings.port} but [MQTT] connects to ${mqtt.host}:${mqtt.port}: ` +
        'the gateway will not use it (set [MQTT] host and port to match, or turn [BROKER] embedded off)',
    );
  }
  return startEmbeddedBroker({ host: settings.host, port: settings.port, logger: ctx.logger });
}
