import { readTextFile, type AppProperties } from '@mg/app-properties';
import { brokerEndpoints, parseBrokerList } from '../mqtt/brokers.js';
import type { ConnectionOptions } from '../mqtt/connection-options.js';
import { sharedFilter } from '../mqtt/subscriber.js';
import type { MqttSettings } from './gateway-config.js';
import { MessageMap } from '../model/message-map.js';
import { expandTopic } from '../model/topic-template.js';

// The [MQTT] section read into what the broker link is given: here, beside the section, so that
// the mqtt layer knows nothing of the gateway's configuration.

/** Reads a file named by an `[MQTT]` option; a failure names the option and the file. */
function readOptionFile(app: AppProperties, option: string, given: string, configFile: string | undefined): string {
  return readTextFile(app.filePath(given, '', configFile), `[MQTT] ${option}: file`);
}

/** The message map the settings ask for: the map file, or the configured root and topics. */
export function loadMap(app: AppProperties, mqtt: MqttSettings, configFile: string | undefined): { map: MessageMap; file?: string } {
  const options = { gatewayName: app.name };
  if (mqtt.mapping && mqtt.mapfilename.trim() !== '') {
    const file = app.filePath(mqtt.mapfilename, '.map', configFile);
    return { map: MessageMap.fromFile(file, options), file };
  }
  return { map: MessageMap.passthrough(mqtt.root, mqtt.topics, options) };
}

/** The connection options the `[MQTT]` section describes. */
export function connectionOptions(app: AppProperties, mqtt: MqttSettings, map: MessageMap, configFile: string | undefined): ConnectionOptions {
  const clientId = mqtt.clientid.trim() || app.name;
  const ws = mqtt.protocol === 'ws' || mqtt.protocol === 'wss';
  const path = ws ? (mqtt.wspath.startsWith('/') ? mqtt.wspath : `/${mqtt.wspath}`) : '';
  const password =
    mqtt.passwordfile.trim() !== '' ? (readOptionFile(app, 'passwordfile', mqtt.passwordfile, configFile).split(/\r?\n/)[0] ?? '') : mqtt.password;
  const file = (option: 'cafile' | 'certfile' | 'keyfile') =>
    mqtt[option].trim() !== '' ? Buffer.from(readOptionFile(app, option, mqtt[option], configFile)) : undefined;
  const group = mqtt.sharedgroup.trim() || undefined;
  const topicValues = { root: map.root, app: app.name, clientid: clientId };
  const availability = mqtt.availabilitytopic.trim();
  // The option was checked entry by entry when the configuration was read.
  const brokers = brokerEndpoints(parseBrokerList(mqtt.host, mqtt.port), mqtt.protocol, path);
  return {
    url: brokers.map((b) => b.url).join(', '),
    brokers,
    clientId,
    keepalive: mqtt.keepalive,
    clean: mqtt.clean,
    version: mqtt.version === '5' ? 5 : 4,
    sessionExpiry: mqtt.sessionexpiry,
    username: mqtt.username,
    password,
    ca: file('cafile'),
    cert: file('certfile'),
    key: file('keyfile'),
    rejectUnauthorized: mqtt.tlsverify,
    subscriptions: map.topics.map((t) => sharedFilter(group, t)),
    subQos: mqtt.subqos,
    pubQos: mqtt.pubqos,
    sharedGroup: group,
    availabilityTopic: availability === '' ? undefined : expandTopic(availability, topicValues),
    outboxSize: mqtt.outboxsize,
    reconnectMinMs: mqtt.reconnectmin * 1000,
    reconnectMaxMs: Math.max(mqtt.reconnectmax, mqtt.reconnectmin) * 1000,
  };
}

/** The stats topic, or undefined when statistics are off. */
export function statsTopic(app: AppProperties, mqtt: MqttSettings, map: MessageMap): string | undefined {
  if (mqtt.statsinterval === 0 || mqtt.statstopic.trim() === '') return undefined;
  return expandTopic(mqtt.statstopic.trim(), { root: map.root, app: app.name, clientid: mqtt.clientid.trim() || app.name });
}

/** The topic of polls on demand, or undefined when they are off. */
export function pollTopic(app: AppProperties, mqtt: MqttSettings, map: MessageMap): string | undefined {
  if (mqtt.polltopic === '') return undefined;
  return expandTopic(mqtt.polltopic, { root: map.root, app: app.name, clientid: mqtt.clientid.trim() || app.name });
}

/** A device's availability topic (`{device}` filled in), or undefined when per-device availability is off. */
export function deviceAvailabilityTopic(app: AppProperties, mqtt: MqttSettings, map: MessageMap): ((device: string) => string) | undefined {
  if (mqtt.deviceavailabilitytopic === '') return undefined;
  const template = expandTopic(mqtt.deviceavailabilitytopic, { root: map.root, app: app.name, clientid: mqtt.clientid.trim() || app.name });
  const parts = template.split('{device}');
  return (device) => parts.join(device);
}
