import type { Socket } from 'node:net';
import type { Logger } from '@mg/app-properties';
import { Throttle } from '@mg/throttled-error';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff } from '@mg/backoff';
import type { Counters } from '../runtime/counters.js';
import type { Transport } from './transport.js';
import { describeConnectionError } from './connection-errors.js';
import { Publisher } from './publisher.js';

export interface ConnectionOptions {
  /** `mqtt://host:port`, `mqtts://...`, `ws://host:port/path`, `wss://...`. */
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
  /** Retained `online` on connect, `offline` as last will and on stop. Undefined: off. */
  availabilityTopic?: string;
  outboxSize: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** How long to wait for the broker's CONNACK. Default 10 s. */
  connectTimeoutMs?: number;
}

/** A message read from the broker. */
export interface ReceivedPacket {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  /** The MQTT 5 correlation data, as text. */
  correlation?: string;
}

export interface ConnectionContext {
  logger: Logger;
  counters: Counters;
  /**
   * Called for every message received. The client reads nothing more, and does not acknowledge
   * this message, until `ack` is called: calling it later is how the gateway applies
   * backpressure to the broker.
   */
  onMessage(packet: ReceivedPacket, ack: () => void): void;
  /** The connection was lost: acknowledgements not yet sent can no longer be. */
  onConnectionLost?(): void;
  /** Connected (again), subscriptions sent. */
  onConnected?(url: string): void;
  /** Randomness for the reconnection jitter; tests pass a fixed one. */
  random?: () => number;
  /** Time source. Default `Date.now`. */
  clock?: () => number;
}

export interface PublishOptions {
  qos: 0 | 1 | 2;
  retain: boolean;
  /** A state: while it waits for the broker, a newer one on the same topic replaces it. */
  coalesce: boolean;
  correlation?: string;
}

// A connection the broker closes sooner than this after accepting it counts as "kicked".
const SHORT_SESSION_MS = 3_000;
const KICKS_BEFORE_WARNING = 3;

/**
 * The broker connection, over MQTT.js and its own reconnection, with what a gateway needs
 * on top: growing reconnection delays with jitter, subscriptions on every connection,
 * availability with a last will, TCP_NODELAY, a bounded outbox while disconnected, clear
 * messages for refused credentials, TLS failures and a duplicate client id, all throttled.
 */
export class Connection implements Transport {
  private client: MqttClient | undefined;
  private readonly publisher: Publisher;
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly errors = new Throttle({ kind: 'connection' });
  private readonly waiting = new Throttle({ kind: 'reconnection' });
  private connectedAt = 0;
  private kicks = 0;
  private stopping = false;
  private readonly waiters: (() => void)[] = [];
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly ctx: ConnectionContext,
  ) {
    this.publisher = new Publisher({ outboxSize: options.outboxSize, version: options.version, logger: ctx.logger, counters: ctx.counters });
    this.backoff = new Backoff({ minMs: options.reconnectMinMs, maxMs: options.reconnectMaxMs, random: ctx.random });
    this.log = ctx.logger;
    this.clock = ctx.clock ?? Date.now;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Messages waiting for the broker. */
  get pending(): number {
    return this.publisher.pending;
  }

  /** The URL of the broker. */
  get url(): string {
    return this.options.url;
  }

  /** Starts connecting; returns at once (the connection comes and goes by itself from then on). */
  start(): void {
    const o = this.options;
    const mqttOptions: IClientOptions = {
      clientId: o.clientId,
      keepalive: o.keepalive,
      clean: o.clean,
      protocolVersion: o.version,
      username: o.username || undefined,
      password: o.password || undefined,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: o.rejectUnauthorized,
      reconnectPeriod: this.backoff.next(),
      reconnectOnConnackError: true,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      // Subscriptions are made on every connection here, and the outbox replaces MQTT.js's
      // unbounded offline queue.
      resubscribe: false,
      queueQoSZero: false,
      properties: o.version === 5 && !o.clean ? { sessionExpiryInterval: o.sessionExpiry } : undefined,
      will: o.availabilityTopic ? { topic: o.availabilityTopic, payload: Buffer.from('offline'), qos: 1, retain: true } : undefined,
    };
    this.log.info(`connecting to ${o.url} as "${o.clientId}" (MQTT ${o.version === 5 ? '5' : '3.1.1'})`);
    const client = mqtt.connect(o.url, mqttOptions);
    this.client = client;
    // Prepended so they run before MQTT.js's own handlers: the delay must be set before it
    // arms the reconnection timer, and Nagle turned off before it flushes queued packets.
    client.prependListener('connect', () => this.onConnect());
    client.prependListener('close', () => this.onClose());
    client.on('error', (err) => this.onError(err));
    client.on('disconnect', (packet) => {
      if (packet.reasonCode === 142) this.kickedMessage('the broker says another client took over the session');
      else this.log.warn(`broker disconnected this client: reason code ${packet.reasonCode ?? '?'}${packet.properties?.reasonString ? ` (${packet.properties.reasonString})` : ''}`);
    });
    // MQTT.js reads the next packet, and acknowledges this one, only once the callback is
    // called: the gateway's flow control (nothing acknowledged is ever dropped).
    client.handleMessage = (packet, done) => {
      const data = packet.properties?.correlationData;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const received: ReceivedPacket = { topic: packet.topic, payload, qos: packet.qos };
      if (data) received.correlation = data.toString('utf8');
      this.ctx.onMessage(received, () => done());
    };
  }

  /**
   * While reading is paused (the interface is not taking messages), MQTT.js cannot see the
   * broker's PINGRESP and would end the connection after 1.5 keepalives: the broker would then
   * publish the last will and redeliver what was in flight. Instead, keep the session alive by
   * sending PINGREQ ourselves and holding off MQTT.js's own timeout; a dead socket still shows
   * as a write error or a close.
   */
  setReadingPaused(paused: boolean): void {
    if (paused && !this.pingTimer && this.options.keepalive > 0) {
      this.pingTimer = setInterval(() => {
        const c = this.client;
        if (!c?.connected) return;
        c.sendPing();
        c.reschedulePing(true);
      }, (this.options.keepalive * 1000) / 3);
      this.pingTimer.unref();
    } else if (!paused && this.pingTimer) {
      clearInterval(this.pingTimer);
      this.pingTimer = undefined;
      if (this.client?.connected) this.client.reschedulePing(true);
    }
  }

  /** Resolves once connected (or at once when already). */
  waitConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Publishes now when connected and the socket takes more; otherwise queues in the bounded
   * outbox, which is sent in order as soon as the socket drains or the broker is back.
   */
  publish(topic: string, payload: string | Buffer, options: PublishOptions): void {
    this.publisher.publish({ topic, payload, qos: options.qos, retain: options.retain, correlation: options.correlation }, options.coalesce);
  }

  /** Resolves when nothing waits for the broker: the outbox is empty and the socket takes more. */
  drained(): Promise<void> {
    return this.stopping ? Promise.resolve() : this.publisher.drained();
  }

  /** Final drop counts that were muted by the throttle, for the last words at stop. */
  unreportedDrops(): number {
    return this.publisher.unreportedDrops();
  }

  /**
   * Graceful stop: what is queued is sent if the broker is there, `offline` is published,
   * the session ends with a DISCONNECT (so the last will is not sent). Never throws.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    const client = this.client;
    if (!client || this.stopping) return;
    this.stopping = true;
    this.setReadingPaused(false);
    const o = this.options;
    if (client.connected) {
      this.publisher.sendAll();
      if (o.availabilityTopic) this.publisher.send({ topic: o.availabilityTopic, payload: 'offline', qos: 1, retain: true });
      const ended = client.endAsync(false).catch(() => undefined);
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
      if ((await Promise.race([ended, timer])) === 'timeout') {
        this.log.warn(`the broker did not acknowledge the last messages within ${timeoutMs} ms; closing anyway`);
        await client.endAsync(true).catch(() => undefined);
      }
    } else {
      this.publisher.release();
      if (this.publisher.pending > 0) this.log.warn(`stopping while disconnected: ${this.publisher.pending} outgoing messages were never sent`);
      await client.endAsync(true).catch(() => undefined);
    }
    this.log.info('disconnected from the broker');
  }

  private onConnect(): void {
    const client = this.client!;
    (client.stream as Partial<Socket>).setNoDelay?.(true);
    this.connectedAt = this.clock();
    this.ctx.counters.connections += 1;
    this.errors.reset();
    this.waiting.reset();
    const o = this.options;
    this.log.info(`connected to ${o.url}`);
    if (o.subscriptions.length > 0) {
      client.subscribe([...o.subscriptions], { qos: o.subQos }, (err, granted) => {
        if (err) {
          this.log.error(`subscription failed: ${err.message}`);
          return;
        }
        const refused = (granted ?? []).filter((g) => g.qos === 128 || g.qos > 2);
        for (const g of refused) this.log.error(`the broker refused the subscription to "${g.topic}" (not authorised, or an invalid filter)`);
        const ok = (granted ?? []).filter((g) => !refused.includes(g)).map((g) => g.topic);
        if (ok.length > 0) this.log.info(`subscribed to ${ok.join(', ')}`);
      });
    } else {
      this.log.warn('no topics to subscribe to: the gateway will receive nothing (set topics, or mapping and a map file)');
    }
    this.publisher.attach(client, o.availabilityTopic ? { topic: o.availabilityTopic, payload: 'online', qos: 1, retain: true } : undefined);
    for (const resolve of this.waiters.splice(0)) resolve();
    this.ctx.onConnected?.(o.url);
  }

  private onClose(): void {
    if (this.stopping || !this.client) return;
    this.publisher.detach();
    this.ctx.onConnectionLost?.();
    const wasConnected = this.connectedAt > 0;
    if (wasConnected) {
      this.ctx.counters.disconnections += 1;
      const lasted = this.clock() - this.connectedAt;
      this.connectedAt = 0;
      if (lasted < SHORT_SESSION_MS) {
        this.kicks += 1;
        if (this.kicks === KICKS_BEFORE_WARNING) {
          this.kickedMessage(`the broker closed the connection ${this.kicks} times right after accepting it`);
        }
      } else {
        this.kicks = 0;
        this.backoff.reset();
      }
    } else {
      // An attempt that failed: the broker is away (restarting), which a kick never looks like.
      this.kicks = 0;
    }
    const delay = this.backoff.next();
    this.client.options.reconnectPeriod = delay;
    const v = this.waiting.hit('broker not reachable');
    if (wasConnected) this.log.warn(`connection to ${this.options.url} lost; reconnecting in ${(delay / 1000).toFixed(1)} s`);
    else if (v.trigger) this.log.warn(`waiting for the broker at ${this.options.url}; next attempt in ${(delay / 1000).toFixed(1)} s (delays grow to ${this.options.reconnectMaxMs / 1000} s)`);
    else this.log.debug(`broker still not reachable; next attempt in ${(delay / 1000).toFixed(1)} s`);
  }

  private onError(err: Error): void {
    const { message, fatal } = describeConnectionError(err, this.options);
    if (fatal) this.backoff.toMax();
    const v = this.errors.hit(message);
    if (v.trigger) this.log.error(v.report);
  }

  private kickedMessage(why: string): void {
    this.log.error(
      `${why}: another client probably uses the client id "${this.options.clientId}". ` +
        'Give each gateway instance its own [MQTT] clientid.',
    );
  }
}
