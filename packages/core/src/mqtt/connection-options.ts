import type { Logger } from '@mg/app-properties';
import type { BrokerEndpoint } from './brokers.js';

// What a broker connection is given and what it hands on: the options from `[MQTT]`, the
// context of the gateway, received packets and publish options (shared with the memory transport).

export interface ConnectionOptions {
  /**
   * The brokers of `[MQTT] host`, in order, each with its URL (`mqtt://host:port`,
   * `mqtts://...`, `ws://host:port/path`, `wss://...`): the nodes of one cluster, tried in turn.
   */
  brokers: readonly BrokerEndpoint[];
  /** How the start log and `--check` name them: the URL, or the URLs joined by ", ". */
  url: string;
  clientId: string;
  keepalive: number;
  clean: boolean;
  version: 4 | 5;
  /** MQTT 5 session expiry (s) when `clean` is off. */
  sessionExpiry: number;
  username?: string;
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  /** Subscribed on every (re)connection. */
  subscriptions: readonly string[];
  subQos: 0 | 1 | 2;
  /** `[MQTT] pubqos`: with 2, what the broker supports is checked before publishing. */
  pubQos?: 0 | 1 | 2;
  /** `[MQTT] sharedgroup`: whether the broker shares `$share/...` is probed once. */
  sharedGroup?: string;
  /** Retained `online` on connect, `offline` as last will and on stop. Undefined: off. */
  availabilityTopic?: string;
  /** What is published on the availability topic. Default: `online`, and `offline` on stop and as will. */
  availabilityPayloads?: { online: string; stopped: string; lost: string };
  /** A connection only there for its will (a presence): no warning for having no subscriptions. */
  presenceOnly?: boolean;
  outboxSize: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How long to wait for the broker's CONNACK. Default 1.5 keepalives, 2 to 10 s (`connectTimeoutMs()`). */
  connectTimeoutMs?: number;
}

/** A message read from the broker. */
export interface ReceivedPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  /** The MQTT 5 correlation data, as text. */
  correlation?: string;
  /** Set when the broker replays a stored retained message (on subscribing), not for live ones. */
  retain?: boolean;
}

/**
 * What the broker link counts. Owned here so that this layer needs nothing of the gateway's;
 * the gateway's `Counters` has these fields and more, and is passed as is.
 */
export interface MqttCounters {
  /** Connections made, the first one included. */
  connections: number;
  /** Connections lost. */
  disconnections: number;
  /** URL of the broker connected to, or last connected to. */
  broker: string;
  /** The interface's messages handed to the broker (kind `interface`). */
  published: number;
  /** Extensions' messages handed to the broker (kind `extension`). */
  extensionPublished: number;
  /** Outgoing messages dropped because the outbox was full. */
  dropped: number;
  /** Outgoing statuses replaced, while waiting, by a newer one with the same key. */
  coalesced: number;
  /** Subscriptions the broker refused. */
  subscriptionsRefused: number;
}

export interface ConnectionContext {
  logger: Logger;
  counters: MqttCounters;
  /**
   * Called for every message received. The client reads nothing more, and does not acknowledge
   * this message, until `ack` is called: calling it later is how the gateway applies
   * backpressure to the broker.
   */
  onMessage(packet: ReceivedPacket, ack: () => void): void;
  /** The connection was lost: acknowledgements not yet sent can no longer be. */
  onConnectionLost?(): void;
  /**
   * A CONNACK accepted the connection: `sessionPresent` says whether the broker kept this client's
   * session (and sends again what it had sent and not had acknowledged). Called when the packet is
   * read, before any message of the new connection reaches `onMessage`; MQTT.js's own `connect`
   * (hence `onConnected`) comes only after it has sent its stored publishes again and read their
   * acknowledgements, which a held message would keep it from reading.
   */
  onSession?(sessionPresent: boolean): void;
  /** Connected (again), subscriptions sent; `url` is the broker's that answered. */
  onConnected?(url: string): void;
  /** The broker granted these filters (its SUBACK): messages on them now reach `onMessage`. */
  onSubscribed?(filters: string[]): void;
  /** Randomness for the reconnection jitter; tests pass a fixed one. */
  random?: () => number;
  /** Time source. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Whose a message is, for the counters: the interface's (counted in `published`), an
 * extension's (`extensionPublished`), or the gateway's own (availability, stats, a refusal
 * reply), not counted: they follow from `connections` and the time.
 */
export type PublishKind = 'interface' | 'extension' | 'gateway';

/** Counts a message handed to the broker by its kind (the connection and the testing kit alike). */
export function countPublished(counters: MqttCounters, kind: PublishKind): void {
  if (kind === 'interface') counters.published += 1;
  else if (kind === 'extension') counters.extensionPublished += 1;
}

export interface PublishOptions {
  kind: PublishKind;
  qos: 0 | 1 | 2;
  retain: boolean;
  /**
   * Set for a state: while it waits for the broker, a newer message with the same key replaces
   * it (the gateway uses the topic and the action: one device's power and volume share a topic
   * but are different states). Unset: never replaced.
   */
  coalesceKey?: string;
  correlation?: string;
}

/** The availability topic's payloads: `online` on connect, `offline` on stop and as last will. */
export const AVAILABILITY = { online: 'online', stopped: 'offline', lost: 'offline' } as const;
