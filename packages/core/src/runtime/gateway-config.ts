import { logSection } from '@mg/app-properties';
import { bool, choice, defineConfig, int, list, number, passthroughSection, port, renderDefaults, section, string, type ConfigValues } from '@mg/config';
import { brokerListOption } from '../mqtt/brokers.js';
import { ACKNOWLEDGE, INCOMING_OVERFLOW } from './incoming-flow.js';
import { topicOption } from './topic-option.js';

/** The `[MQTT]` section: the broker, the map, and what @mg adds to the original. */
const mqttSection = section(
  {
    host: brokerListOption(
      '127.0.0.1',
      'Broker host name or address; for the nodes of a cluster, a comma-separated list of host or host:port (IPv6 in brackets, [::1]:1883), tried in turn: the gateway starts with the first and, when its broker goes away, goes on with the next one.',
    ),
    port: port(1883, 'Broker port, for host entries without one (8883 is usual for mqtts, 443 or 8083 for wss).'),
    keepalive: int(60, 'Seconds between keepalive pings; 0 turns them off.', { min: 0, max: 65535 }),
    clientid: string('', 'MQTT client id; empty for the application name. Keep it stable when clean is off.'),
    timeout: number(0.01, 'Seconds between two turns of the polling loop (interfaces with loop()).', { min: 0.001, max: 60 }),
    mapping: bool(false, 'Use a map file for the topic root, the subscriptions and the vocabulary.'),
    mapfilename: string(
      '.',
      'Map file, when mapping is on: "." for <app>.map next to this file; relative names follow the path rules. Blank turns mapping off.',
    ),
    root: string('', 'Topic root when mapping is off (may have several levels, home/ground).'),
    topics: list([], 'Topics to subscribe to when mapping is off, comma-separated; wildcards allowed.'),
    protocol: choice(['mqtt', 'mqtts', 'ws', 'wss'], 'mqtt', 'Transport: mqtt (TCP), mqtts (TLS), ws or wss (WebSocket, plain or TLS).'),
    wspath: string('/mqtt', 'URL path of the broker WebSocket endpoint (ws and wss).'),
    version: choice(['3.1.1', '5'], '3.1.1', 'MQTT protocol version: 3.1.1, or 5 (correlation data, session expiry, reason codes).'),
    username: string('', 'User name; empty for anonymous.'),
    password: string('', 'Password; prefer passwordfile to keep it out of this file.', { secret: true }),
    passwordfile: string('', 'File whose first line is the password (overrides password); relative names follow the path rules.'),
    cafile: string('', 'CA certificate (PEM) to verify the broker with; empty for the system CAs.'),
    certfile: string('', 'Client certificate (PEM) for mutual TLS.'),
    keyfile: string('', 'Private key (PEM) of the client certificate.'),
    tlsverify: bool(true, 'Verify the broker certificate and host name. Turn off only to test with a self-signed broker.'),
    subqos: choice([0, 1, 2], 0, 'QoS of the subscriptions.'),
    pubqos: choice([0, 1, 2], 0, 'QoS of published messages.'),
    retain: bool(
      false,
      "Publish status messages (type S) retained; commands are never retained. A capability's publish policy may say otherwise for its statuses.",
    ),
    timestamp: choice(
      ['off', 'iso', 'epochms'],
      'off',
      'Add a "timestamp" key to every status payload: when the interface pushed it, as ISO 8601 (iso, UTC) or milliseconds since 1970 (epochms); off leaves payloads as they are. Commands never get one.',
    ),
    clean: bool(true, 'Start a clean session; off keeps subscriptions and queued QoS 1/2 messages across reconnections (needs a stable clientid).'),
    sessionexpiry: int(3600, 'MQTT 5, clean off: seconds the broker keeps the session after a disconnection.', { min: 0 }),
    sharedgroup: string('', 'Shared subscription group ($share/<group>/topic) so several instances split the commands; empty for none.'),
    availabilitytopic: string(
      '{root}/{clientid}/availability',
      'Retained "online"/"offline" topic ({root}, {app}, {clientid} are replaced); the broker publishes "offline" when the gateway dies. Blank turns it off.',
    ),
    deviceavailabilitytopic: topicOption(
      '{root}/{clientid}/{device}/availability',
      'Retained "online"/"offline" topic of each device the interface declares ({device} is its id; {root}, {app}, {clientid} as above), as the interface says it is reachable; "offline" for every device when the gateway stops. Blank turns it off.',
      '{device}',
    ),
    polltopic: topicOption(
      '{root}/{clientid}/poll',
      'Poll on demand: a message here asks the interface to read a device now; its payload is a declared device id, or empty or "all" for every device (an unknown id is refused and counted as invalid-value). Not retained. Blank turns it off.',
    ),
    statstopic: string('{root}/{clientid}/stats', 'Topic of the JSON counters (messages in, out, rejected, dropped, reconnections).'),
    statsinterval: int(60, 'Seconds between two publications of the counters; 0 turns them off.', { min: 0 }),
    outboxsize: int(
      10000,
      'Outgoing messages kept while they wait for the broker (disconnected, or a connection slower than the interface); a newer status replaces a waiting one with the same topic and action; beyond the bound the oldest are dropped and counted.',
      { min: 1 },
    ),
    incomingsize: int(
      10000,
      'Incoming messages waiting for the interface. When they reach it the gateway stops reading from the broker (messages wait there) until the interface has taken half of them.',
      { min: 1 },
    ),
    replyrefused: bool(
      false,
      'Answer a command refused by a strict map with an ERROR status on its own topic (response, reason, correlation kept), so that its sender learns why.',
    ),
    incomingoverflow: choice(
      INCOMING_OVERFLOW,
      'pause',
      'When incomingsize is reached: pause (stop reading, lose nothing) or dropoldest (keep reading, drop the oldest waiting message: the freshest state wins over completeness).',
    ),
    acknowledge: choice(
      ACKNOWLEDGE,
      'received',
      'When a QoS 1/2 command of a persistent session (clean off) is acknowledged to the broker: received (once in the incoming list; a gateway killed then loses what the list held) or taken (once the interface takes it; the gateway reads nothing more meanwhile, so a crash loses nothing the broker would not send again). With incomingoverflow dropoldest, always on entry.',
    ),
    reconnectmin: number(1, 'First delay in seconds before reconnecting; it doubles after each failure.', { min: 0.1 }),
    reconnectmax: number(60, 'Longest delay in seconds between two reconnection attempts.', { min: 1 }),
  },
  'The MQTT broker, the map, and how messages are published.',
);

/** `[PUBLISH]`: the publish policies' defaults, which device descriptions override per device and per capability. */
const publishSection = section(
  {
    changeonly: bool(false, 'Publish a status only when its value changed since the last one published (a status no capability reads: its payload).'),
    deadband: number(0, 'Numbers: publish only a change of more than this from the last value published; 0: any change.', { min: 0 }),
    deadbandpercent: number(0, 'Numbers: publish only a change of more than this percentage of the last value published; 0: any change.', {
      min: 0,
    }),
    mininterval: number(
      0,
      'Seconds: at most one publication of a status per interval; a newer value replaces a waiting one, published when the interval ends. 0: none.',
      { min: 0 },
    ),
    refresh: number(0, 'Seconds: publish the latest value of a status again when nothing was published for this long. 0: never.', { min: 0 }),
  },
  'Defaults of the publish policies of statuses (retained or not: [MQTT] retain). A device description overrides them per device and per capability ("publish"). The defaults publish every status as it is pushed.',
);

export const interfaceSection = passthroughSection('Options of the interface, passed to it as they are (strings).');

/** Every section of a gateway's configuration file. Applications may add their own. */
export const gatewaySections = { MQTT: mqttSection, PUBLISH: publishSection, LOG: logSection, INTERFACE: interfaceSection } as const;

export const gatewayConfigSchema = defineConfig(gatewaySections);

export type GatewayConfig = ConfigValues<typeof gatewayConfigSchema>;
export type MqttSettings = GatewayConfig['MQTT'];

/** The shipped `default.conf`: every option, its default and its meaning, from the schema. */
export function renderGatewayDefaults(): string {
  return renderDefaults(gatewayConfigSchema, [
    'Defaults of every @mg gateway option. Generated from the schema in @mg/core: do not edit.',
    'A gateway configuration file overrides only what it sets; [INTERFACE] options go to the interface.',
    'Syntax: "option: value" or "option = value"; lines starting with # or ; are comments.',
  ]);
}
