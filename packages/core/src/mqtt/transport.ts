import type { ConnectionContext, PublishOptions } from './connection-options.js';

/**
 * What the gateway needs of its link to the broker. `Connection` (MQTT.js) is the real one;
 * the testing kit plugs an in-memory one, so that an interface runs through the whole gateway
 * (map, flow control, lifecycle) without a broker.
 */
export interface Transport {
  /** Starts connecting; returns at once (the link comes and goes by itself from then on). */
  start(): void;
  publish(topic: string, payload: string | Buffer, options: PublishOptions): void;
  /** One more filter to subscribe to, now and on every later connection (extensions' topics). */
  subscribe(filter: string): void;
  /** Resolves when nothing waits for the broker. */
  drained(): Promise<void>;
  /** Reading is paused by flow control: keep the session alive meanwhile. */
  setReadingPaused(paused: boolean): void;
  /** Graceful stop: what waits is sent, `offline` published, the link closed. Never throws. */
  stop(timeoutMs?: number): Promise<void>;
  /** Messages waiting for the broker (the outbox). */
  readonly pending: number;
  /** Outgoing drops the throttled log has not reported yet. */
  unreportedDrops(): number;
}

export type TransportFactory = (context: ConnectionContext) => Transport;
