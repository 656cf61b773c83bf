import {
  AVAILABILITY,
  countPublished,
  type ConnectionContext,
  type PublishKind,
  type PublishOptions,
  type ReceivedPacket,
} from '../mqtt/connection-options.js';
import type { Transport } from '../mqtt/transport.js';

/** A message the gateway published, as a broker would have received it. */
export interface PublishedMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/**
 * A broker link in memory, for the testing kit: what the gateway publishes is recorded, and a
 * test delivers messages the way MQTT.js does (with an acknowledgement the gateway's flow
 * control may hold back).
 */
export class MemoryTransport implements Transport {
  readonly published: PublishedMessage[] = [];
  /** Filters added at run time (by extensions). */
  readonly subscriptions: string[] = [];
  private readonly listeners: ((m: PublishedMessage) => void)[] = [];
  private up = false;

  constructor(
    private readonly ctx: ConnectionContext,
    private readonly availabilityTopic: string | undefined,
    private readonly payloads: { online: string; stopped: string } = AVAILABILITY,
    private readonly sink?: MemoryTransport,
  ) {}

  /**
   * A second link whose publications land in this one's `published` (an extension's presence):
   * its availability payloads on `topic`. A will never fires in memory: nothing dies.
   */
  companion(topic: string, payloads: { online: string; stopped: string }): MemoryTransport {
    const ctx: ConnectionContext = { ...this.ctx, onConnected: undefined, onConnectionLost: undefined, onMessage: (_p, ack) => ack() };
    return new MemoryTransport(ctx, topic, payloads, this);
  }

  start(): void {
    this.up = true;
    if (this.availabilityTopic) this.record({ topic: this.availabilityTopic, payload: this.payloads.online, qos: 1, retain: true }, 'gateway');
    if (this.sink) return;
    this.ctx.counters.connections += 1;
    this.ctx.onConnected?.('memory://test', false);
  }

  publish(topic: string, payload: string | Buffer, options: PublishOptions): void {
    this.record({ topic, payload: payload.toString(), qos: options.qos, retain: options.retain }, options.kind);
  }

  subscribe(filter: string): void {
    if (!this.subscriptions.includes(filter)) this.subscriptions.push(filter);
  }

  /** Nothing waits: a message is recorded as soon as it is published. */
  get pending(): number {
    return 0;
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  setReadingPaused(): void {}

  async stop(): Promise<void> {
    if (!this.up) return;
    if (this.availabilityTopic) this.record({ topic: this.availabilityTopic, payload: this.payloads.stopped, qos: 1, retain: true }, 'gateway');
    this.up = false;
  }

  unreportedDrops(): number {
    return 0;
  }

  /** Delivers a message as the broker would; `ack` is called once the gateway acknowledged it (maybe never). */
  deliver(packet: ReceivedPacket, ack: () => void): void {
    this.ctx.onMessage(packet, ack);
  }

  /** Calls `listener` for every message published from now on. */
  onPublish(listener: (m: PublishedMessage) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Counted by kind as the connection counts what it hands to the broker. */
  private record(m: PublishedMessage, kind: PublishKind): void {
    // A presence is a connection of its own: like production, its messages are not the gateway's count.
    if (this.sink) return this.sink.record(m, 'gateway');
    countPublished(this.ctx.counters, kind);
    this.published.push(m);
    for (const l of [...this.listeners]) l(m);
  }
}
