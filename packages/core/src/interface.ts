import type { Logger } from '@mg/app-properties';
import { MgError } from '@mg/errors';
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
  /** The configuration file the options came from (for error messages). */
  configFile: string;
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

/** An interface cannot work with the configuration it was given. */
export class InterfaceConfigError extends MgError {}

/**
 * An `[INTERFACE]` option the interface cannot do without; a missing or empty one stops the
 * gateway at start with a message naming the option, the file and what to put there.
 */
export function requireParam(ctx: Pick<InterfaceContext, 'params' | 'configFile'>, name: string, hint: string): string {
  const value = ctx.params[name.toLowerCase()];
  if (value === undefined || value.trim() === '') {
    throw new InterfaceConfigError(
      'INTERFACE_OPTION_MISSING',
      `[INTERFACE] ${name.toLowerCase()} is missing in ${ctx.configFile}: ${hint}`,
    );
  }
  return value.trim();
}
