import type { Logger } from '@mg/app-properties';
import type { MessageList } from './message-list.js';

/** What a gateway gives its interface when it builds it. */
export interface InterfaceContext {
  /** The `[INTERFACE]` options of the configuration file, as strings. */
  params: Readonly<Record<string, string>>;
  /** Messages from MQTT, already translated to internal messages. */
  incoming: MessageList;
  /** Messages for MQTT: push internal messages here. */
  outgoing: MessageList;
  /** A logger on the application's outputs. */
  logger: Logger;
  /** Aborted when the gateway stops: end loops, close ports, clear timers. */
  signal: AbortSignal;
  /** The application name (`dummy2mqtt`). */
  appName: string;
}

/**
 * A device interface. Implement `loop()` for polling mode (called every `[MQTT] timeout`
 * seconds; outgoing messages are published after each call) or `start()` for event-driven mode
 * (called once; outgoing messages are published as soon as they are pushed). `stop()`, when
 * present, is awaited at shutdown before the last outgoing messages are published.
 */
export interface GatewayInterface {
  loop?(): void | Promise<void>;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** The class a launcher hands to `startGateway`. */
export type InterfaceClass = new (context: InterfaceContext) => GatewayInterface;
