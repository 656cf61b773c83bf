import type { Writable } from 'node:stream';
import type { Logger } from '@mg/app-properties';
import { Throttle } from '@mg/throttled-error';
import type { IClientPublishOptions, MqttClient } from 'mqtt';
import { countPublished, type MqttCounters } from './connection-options.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { counted } from '../model/words.js';

// QoS 1/2 messages published on this connection and not yet acknowledged by the broker: past
// this, publishing waits (in the outbox) as it does for a full socket, so that memory stays
// bounded when a broker is slow to acknowledge (MQTT.js keeps each one until its PUBACK, a few
// hundred bytes). 1,000 made a QoS 1 burst wait on every acknowledgement, one write each: 0.8x
// the relay's throughput, against 1.0x with this bound.
const MAX_IN_FLIGHT = 10_000;
// Once the bound is reached, sending resumes when half of it is acknowledged: in batches, not
// one message per acknowledgement.
const RESUME_IN_FLIGHT = MAX_IN_FLIGHT / 2;

export interface PublisherOptions {
  outboxSize: number;
  /** MQTT 5 carries a correlation as correlation data. */
  version: 4 | 5;
  logger: Logger;
  counters: MqttCounters;
  /** The highest QoS the broker supports (a message asking more is sent at this). Default 2. */
  maxQos?: () => 0 | 1 | 2;
}

/**
 * The way out, with backpressure: a message is written to the socket at once while a connection
 * is attached and takes more (not `writableNeedDrain`, fewer than MAX_IN_FLIGHT unacknowledged);
 * otherwise it waits in the bounded outbox, sent in order as soon as the socket drains, the
 * broker acknowledges, or a connection is attached again.
 */
export class Publisher {
  private readonly outbox: Outbox;
  private readonly drops = new Throttle({ kind: 'outbox drop' });
  private readonly drainWaiters: (() => void)[] = [];
  private client: MqttClient | undefined;
  // In-flight counts belong to one connection: acknowledgements of an earlier one (MQTT.js sends
  // those messages again) do not count down the current one.
  private generation = 0;
  private inFlight = 0;
  private flushArmed = false;

  constructor(private readonly o: PublisherOptions) {
    this.outbox = new Outbox(o.outboxSize);
  }

  /** Messages waiting for the broker. */
  get pending(): number {
    return this.outbox.size;
  }

  /** Outgoing drops the throttled log has not reported yet. */
  unreportedDrops(): number {
    return this.drops.pending;
  }

  /**
   * A connection is up (and subscribed): `first` (the availability) is sent, then what waits,
   * then messages go straight out.
   */
  attach(client: MqttClient, first?: OutboxEntry): void {
    this.client = client;
    this.generation += 1;
    this.inFlight = 0;
    this.flushArmed = false;
    if (first) this.send(first);
    if (this.outbox.size > 0) this.o.logger.info(`sending ${counted(this.outbox.size, 'message')} queued while disconnected`);
    this.flush();
  }

  /** The connection is gone: messages wait in the outbox until the next `attach`. */
  detach(): void {
    this.client = undefined;
    this.flushArmed = false;
  }

  publish(entry: OutboxEntry, coalesceKey?: string): void {
    if (this.client && this.outbox.size === 0 && !this.congested()) {
      this.send(entry);
      return;
    }
    const r = this.outbox.push(entry, coalesceKey);
    if (r.coalesced) this.o.counters.coalesced += 1;
    if (r.dropped > 0) {
      this.o.counters.dropped += 1;
      const why = this.client ? 'while the connection is slower than the interface' : 'while the broker is away';
      const v = this.drops.hit(`outbox full (${this.outbox.limit} messages) ${why}: dropped the oldest message`);
      if (v.trigger) this.o.logger.warn(v.count > 1 ? `${v.count} outgoing messages dropped: outbox full (${this.outbox.limit}) ${why}` : v.report);
    }
    this.kick();
  }

  /** Resolves when nothing waits for the broker: the outbox is empty and the socket takes more. */
  drained(): Promise<void> {
    if (this.outbox.size === 0 && !(this.client && this.congested())) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.kick();
    return waiting;
  }

  /** At stop: everything waiting goes to the client now (it flushes before its DISCONNECT). */
  sendAll(): void {
    if (this.client) for (const entry of this.outbox.drain()) this.send(entry);
    this.release();
  }

  /** Lets every `drained()` waiter go (at stop). */
  release(): void {
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Writes one message now (availability, and what `flush` takes from the outbox). */
  send(entry: OutboxEntry): void {
    const client = this.client;
    if (!client) return;
    const qos = this.o.maxQos ? (Math.min(entry.qos, this.o.maxQos()) as 0 | 1 | 2) : entry.qos;
    const opts: IClientPublishOptions = { qos, retain: entry.retain };
    if (entry.correlation !== undefined && this.o.version === 5) opts.properties = { correlationData: Buffer.from(entry.correlation) };
    if (qos > 0) {
      this.inFlight += 1;
      const generation = this.generation;
      client.publish(entry.topic, entry.payload, opts, () => this.acked(generation));
    } else {
      client.publish(entry.topic, entry.payload, opts);
    }
    countPublished(this.o.counters, entry.kind);
  }

  private acked(generation: number): void {
    if (generation !== this.generation) return;
    this.inFlight -= 1;
    if (this.flushArmed && this.inFlight <= RESUME_IN_FLIGHT) {
      this.flushArmed = false;
      this.flush();
    }
  }

  private congested(): boolean {
    if (this.inFlight >= MAX_IN_FLIGHT) return true;
    return (this.client?.stream as Partial<Writable> | undefined)?.writableNeedDrain ?? false;
  }

  /** Sends from the outbox while the socket takes more; then waits for 'drain' or acknowledgements. */
  private flush(): void {
    while (this.client && this.outbox.size > 0 && !this.congested()) this.send(this.outbox.shift()!);
    if (!this.client) return;
    if (this.outbox.size === 0 && !this.congested()) this.release();
    else this.kick();
  }

  /** Makes sure something will send what waits: now when the socket takes more, else on its next 'drain' or ack. */
  private kick(): void {
    const client = this.client;
    if (!client) return; // attach() flushes
    if (!this.congested()) {
      if (this.outbox.size > 0 || this.drainWaiters.length > 0) this.flush();
      return;
    }
    if (this.flushArmed) return;
    this.flushArmed = true;
    if (this.inFlight >= MAX_IN_FLIGHT) return; // acked() flushes
    (client.stream as Writable).once('drain', () => {
      if (!this.flushArmed || this.client !== client) return;
      this.flushArmed = false;
      this.flush();
    });
  }
}
