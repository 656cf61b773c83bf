import { REJECT_REASONS, type RejectReason } from './reject.js';

/** What the gateway did, published as JSON on the stats topic and logged at stop. */
export class Counters {
  /** MQTT messages received on the subscriptions. */
  received = 0;
  /** Messages handed to the interface. */
  delivered = 0;
  /** Messages published (from the interface, after mapping). */
  published = 0;
  /** Outgoing messages dropped because the outbox was full while disconnected. */
  dropped = 0;
  /** Incoming messages dropped because the interface did not pull them in time. */
  incomingDropped = 0;
  /** Connections made, the first one included. */
  connections = 0;
  /** Connections lost. */
  disconnections = 0;
  /** Errors thrown by the interface's loop(), start() or stop(). */
  interfaceErrors = 0;
  readonly rejected: Record<RejectReason, number>;
  readonly startedAt: number;

  constructor(now = Date.now()) {
    this.startedAt = now;
    this.rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  }

  toJSON(now = Date.now()) {
    return {
      uptime: Math.round((now - this.startedAt) / 1000),
      received: this.received,
      delivered: this.delivered,
      published: this.published,
      dropped: this.dropped,
      incomingDropped: this.incomingDropped,
      connections: this.connections,
      disconnections: this.disconnections,
      interfaceErrors: this.interfaceErrors,
      rejected: { ...this.rejected },
    };
  }
}
