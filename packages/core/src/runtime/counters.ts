import { REJECT_REASONS, type RejectReason } from '../model/reject.js';

/** The counters as published on the stats topic (`uptime` in seconds). */
export type GatewayCounters = ReturnType<Counters['toJSON']>;

/** What the gateway did, published as JSON on the stats topic and logged at stop. */
export class Counters {
  /** MQTT messages received on the subscriptions. */
  received = 0;
  /** Messages handed to the interface. */
  delivered = 0;
  /**
   * The interface's messages published (after mapping). Not the gateway's own (availability,
   * stats, refusal replies) nor the extensions' (see `extensionPublished`).
   */
  published = 0;
  /** Messages the extensions published (discovery, states, their presence excepted: its own connection). */
  extensionPublished = 0;
  /** Outgoing messages dropped because the outbox was full (broker away, or a slow connection). */
  dropped = 0;
  /** Outgoing statuses replaced, while waiting, by a newer one on the same topic. */
  coalesced = 0;
  /** Incoming messages dropped to make room (only with `[MQTT] incomingoverflow: dropoldest`). */
  incomingDropped = 0;
  /** Times reading from the broker paused because the incoming list was full. */
  incomingPauses = 0;
  /** Milliseconds spent paused, in total. */
  incomingPausedMs = 0;
  /** True while reading is paused. */
  incomingPaused = false;
  /** Connections made, the first one included. */
  connections = 0;
  /** Connections lost. */
  disconnections = 0;
  /** Errors thrown by the interface's loop(), start() or stop(), or its contained callbacks. */
  interfaceErrors = 0;
  /** Errors thrown by an extension: its start(), its route handlers, its listeners, its contained callbacks. */
  extensionErrors = 0;
  /** Subscriptions the broker refused (each is tried again while the connection lasts). */
  subscriptionsRefused = 0;
  /** Statuses a publish policy withheld (unchanged, within a deadband, or replaced by a newer one during a minimum interval). */
  suppressed = 0;
  /** Statuses published again by a publish policy's refresh. */
  refreshed = 0;
  /** Declared devices the interface says are not reachable now. */
  devicesOffline = 0;
  /** Times a device became reachable or not (as the interface says, and at stop). */
  availabilityChanges = 0;
  /** URL of the broker connected to, or last connected to ('' before the first connection). */
  broker = '';
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
      extensionPublished: this.extensionPublished,
      dropped: this.dropped,
      coalesced: this.coalesced,
      incomingDropped: this.incomingDropped,
      incomingPauses: this.incomingPauses,
      incomingPausedMs: this.incomingPausedMs,
      incomingPaused: this.incomingPaused,
      connections: this.connections,
      disconnections: this.disconnections,
      interfaceErrors: this.interfaceErrors,
      extensionErrors: this.extensionErrors,
      subscriptionsRefused: this.subscriptionsRefused,
      suppressed: this.suppressed,
      refreshed: this.refreshed,
      devicesOffline: this.devicesOffline,
      availabilityChanges: this.availabilityChanges,
      broker: this.broker,
      rejected: { ...this.rejected },
    };
  }
}
