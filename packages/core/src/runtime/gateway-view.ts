import type { EventEmitter } from 'node:events';
import type { Transport } from '../mqtt/transport.js';
import type { Counters } from './counters.js';
import type { GatewayEvents } from './events.js';
import type { ExtensionScope } from './extension-scope.js';
import type { GatewayView } from './extension.js';

type BrokerState = ReturnType<GatewayView['connection']>['brokers'][number];
type Status = ReturnType<GatewayView['status']>;

/** What the gateway shows its extensions through `ctx.gateway`. */
export interface GatewayViewParts {
  events: EventEmitter<GatewayEvents>;
  counters: Counters;
  /** The URLs of `[MQTT] host`, in order. */
  brokers: readonly string[];
  /** The incoming list (only its size and limit are read). */
  incoming: { readonly size: number; readonly limit: number };
  transport: Transport;
  outboxLimit: number;
  status(): Status;
}

/**
 * The gateway as its extensions read it: counters, state, connection (per broker of
 * `[MQTT] host`, followed from the gateway's own `connected`/`disconnected` events), list sizes
 * and events. One per gateway, built before the extensions so that it has seen every connection;
 * each extension gets it through `scopedGateway`.
 */
export class GatewayStatus {
  private readonly brokers: BrokerState[];
  /** The broker connected to now, or undefined. */
  private current: BrokerState | undefined;
  /** The URL of the broker connected to now or last ('' before the first connection). */
  private last = '';

  constructor(private readonly parts: GatewayViewParts) {
    this.brokers = parts.brokers.map((url) => ({ url, connected: false, connections: 0, disconnections: 0 }));
    parts.events.on('connected', ({ url }) => {
      // A URL outside the list (the testing kit's memory link) is still shown.
      let broker = this.brokers.find((b) => b.url === url);
      if (!broker) this.brokers.push((broker = { url, connected: false, connections: 0, disconnections: 0 }));
      if (this.current) this.current.connected = false;
      this.current = broker;
      this.last = url;
      broker.connected = true;
      broker.connections += 1;
    });
    parts.events.on('disconnected', () => {
      if (!this.current) return;
      this.current.connected = false;
      this.current.disconnections += 1;
      this.current = undefined;
    });
  }

  counters(): ReturnType<GatewayView['counters']> {
    return this.parts.counters.toJSON();
  }

  status(): Status {
    return this.parts.status();
  }

  connection(): ReturnType<GatewayView['connection']> {
    return { connected: this.current !== undefined, broker: this.last, brokers: this.brokers.map((b) => ({ ...b })) };
  }

  lists(): ReturnType<GatewayView['lists']> {
    const { incoming, transport, outboxLimit } = this.parts;
    return { incoming: incoming.size, incomingLimit: incoming.limit, outbox: transport.pending, outboxLimit };
  }

  /** Adds a listener to the gateway's events; returns its remover. */
  listen<E extends keyof GatewayEvents>(event: E, listener: (...args: GatewayEvents[E]) => void): () => void {
    // EventEmitter's typing of a generic key is not narrowed: the listener has the event's own arguments.
    const l = listener as (...args: never[]) => void;
    this.parts.events.on(event, l as never);
    return () => void this.parts.events.off(event, l as never);
  }
}

/**
 * One extension's `ctx.gateway`: its listeners belong to `scope` (removed when the gateway stops
 * the extension, never called after that), and one that throws is reported as its error
 * (`failed`), not the gateway's: the emitter must go on telling the others.
 */
export function scopedGateway(status: GatewayStatus, scope: ExtensionScope, failed: (where: string, err: unknown) => void): GatewayView {
  return {
    counters: () => status.counters(),
    status: () => status.status(),
    connection: () => status.connection(),
    lists: () => status.lists(),
    on: (event, listener) =>
      scope.own(
        status.listen(event, (...args) => {
          if (scope.closed) return;
          try {
            listener(...args);
          } catch (err) {
            failed(`gateway "${event}" listener`, err);
          }
        }),
      ),
  };
}
