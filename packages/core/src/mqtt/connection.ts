import type { Socket } from 'node:net';
import type { Logger } from '@mg/app-properties';
import { Throttle } from '@mg/throttled-error';
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import { Backoff } from '@mg/backoff';
import type { Transport } from './transport.js';
import { BrokerChecks } from './broker-checks.js';
import { BrokerRotation } from './broker-rotation.js';
import { clientOptions } from './client-options.js';
import { AVAILABILITY, type ConnectionContext, type ConnectionOptions, type PublishOptions, type ReceivedPacket } from './connection-options.js';
import { describeConnectionError } from './connection-errors.js';
import { PausedKeepalive } from './paused-keepalive.js';
import { Publisher } from './publisher.js';
import { Subscriber } from './subscriber.js';
import { counted, were } from '../model/words.js';

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
  private readonly checks: BrokerChecks;
  private readonly subscriber: Subscriber;
  private readonly brokers: BrokerRotation;
  /** Counts connections, so that callbacks of an earlier one do nothing. */
  private generation = 0;
  private connectedAt = 0;
  /** Whether MQTT.js reported an error for the current connection attempt. */
  private attemptFailed = false;
  private kicks = 0;
  private stopping = false;
  /** Filters added at run time (by extensions), subscribed with the configured ones on every connection. */
  private readonly extra: string[] = [];
  private alive: () => boolean = () => false;
  private readonly keepalive: PausedKeepalive;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly ctx: ConnectionContext,
  ) {
    this.brokers = new BrokerRotation(options.brokers);
    this.checks = new BrokerChecks({
      pubQos: options.pubQos ?? 0,
      subQos: options.subQos,
      version: options.version,
      sharedGroup: options.sharedGroup,
      probeTopic: `${options.availabilityTopic ?? options.clientId}/probe`,
      logger: ctx.logger,
    });
    this.publisher = new Publisher({
      outboxSize: options.outboxSize,
      version: options.version,
      logger: ctx.logger,
      counters: ctx.counters,
      maxQos: () => this.checks.maxQos,
    });
    this.subscriber = new Subscriber({
      subQos: options.subQos,
      logger: ctx.logger,
      counters: ctx.counters,
      checks: this.checks,
      url: () => this.url,
      granted: (filters) => ctx.onSubscribed?.(filters),
    });
    this.backoff = new Backoff({ minMs: options.reconnectMinMs, maxMs: options.reconnectMaxMs, random: ctx.random });
    this.log = ctx.logger;
    this.clock = ctx.clock ?? Date.now;
    this.keepalive = new PausedKeepalive(options.keepalive, () => this.client);
  }

  /** Messages waiting for the broker. */
  get pending(): number {
    return this.publisher.pending;
  }

  /** The URL of the broker connected to (or being tried). */
  get url(): string {
    return this.brokers.broker.url;
  }

  /** Starts connecting; returns at once (the connection comes and goes by itself from then on). */
  start(): void {
    const o = this.options;
    const mqttOptions = clientOptions(o, this.backoff.next(), this.payloads.lost);
    this.log.info(`connecting to ${this.url}${this.brokers.others} as "${o.clientId}" (MQTT ${o.version === 5 ? '5' : '3.1.1'})`);
    const client = mqtt.connect(this.url, mqttOptions);
    this.client = client;
    client.on('reconnect', () => (this.attemptFailed = false));
    // Prepended so they run before MQTT.js's own handlers: the delay and the next broker must
    // be set before it arms the reconnection timer, and Nagle turned off before it flushes
    // queued packets.
    client.prependListener('connect', (connack) => this.onConnect(connack));
    client.prependListener('close', () => this.onClose());
    client.on('error', (err) => this.onError(err));
    client.on('disconnect', (packet) => {
      if (packet.reasonCode === 142) this.kickedMessage('the broker says another client took over the session');
      else
        this.log.warn(
          `broker disconnected this client: reason code ${packet.reasonCode ?? '?'}${packet.properties?.reasonString ? ` (${packet.properties.reasonString})` : ''}`,
        );
    });
    // MQTT.js reads the next packet, and acknowledges this one, only once the callback is
    // called: the gateway's flow control (nothing acknowledged is ever dropped).
    client.handleMessage = (packet, done) => {
      if (this.checks.intercept(packet.topic)) return done();
      const data = packet.properties?.correlationData;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      const received: ReceivedPacket = { topic: packet.topic, payload, qos: packet.qos };
      if (data) received.correlation = data.toString('utf8');
      if (packet.retain) received.retain = true;
      // `done` itself is the acknowledgement (no closure per message): it must be called with no
      // argument, since MQTT.js takes one as an error and then sends no PUBACK.
      this.ctx.onMessage(received, done);
    };
  }

  /** Reading is paused by flow control (or resumes): the session is kept alive meanwhile. */
  setReadingPaused(paused: boolean): void {
    this.keepalive.setPaused(paused);
  }

  /** Subscribes to one more filter, now when connected and on every later connection. */
  subscribe(filter: string): void {
    if (this.extra.includes(filter) || this.options.subscriptions.includes(filter)) return;
    this.extra.push(filter);
    if (this.client && this.alive()) this.subscriber.subscribe(this.client, [filter], this.alive, this.retry());
  }

  private get payloads(): { online: string; stopped: string; lost: string } {
    return this.options.availabilityPayloads ?? AVAILABILITY;
  }

  private retry(): Backoff {
    return new Backoff({ minMs: this.options.reconnectMinMs, maxMs: this.options.reconnectMaxMs, random: this.ctx.random });
  }

  /**
   * Publishes now when connected and the socket takes more; otherwise queues in the bounded
   * outbox, which is sent in order as soon as the socket drains or the broker is back.
   */
  publish(topic: string, payload: string | Buffer, options: PublishOptions): void {
    this.publisher.publish(
      { kind: options.kind, topic, payload, qos: options.qos, retain: options.retain, correlation: options.correlation },
      options.coalesceKey,
    );
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
    this.keepalive.stop();
    const o = this.options;
    if (client.connected) {
      this.publisher.sendAll();
      if (o.availabilityTopic) this.publisher.send({ kind: 'gateway', topic: o.availabilityTopic, payload: this.payloads.stopped, qos: 1, retain: true });
      const ended = client.endAsync(false).catch(() => undefined);
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMs, 'timeout').unref());
      if ((await Promise.race([ended, timer])) === 'timeout') {
        this.log.warn(`the broker did not acknowledge the last messages within ${timeoutMs} ms; closing anyway`);
        await client.endAsync(true).catch(() => undefined);
      }
    } else {
      this.publisher.release();
      if (this.publisher.pending > 0)
        this.log.warn(`stopping while disconnected: ${counted(this.publisher.pending, 'outgoing message')} ${were(this.publisher.pending)} never sent`);
      await client.endAsync(true).catch(() => undefined);
    }
    this.log.info('disconnected from the broker');
  }

  private onConnect(connack: IConnackPacket): void {
    const client = this.client!;
    (client.stream as Partial<Socket>).setNoDelay?.(true);
    const generation = ++this.generation;
    const alive = () => this.generation === generation && this.client === client && client.connected && !this.stopping;
    this.connectedAt = this.clock();
    this.ctx.counters.connections += 1;
    this.ctx.counters.broker = this.url;
    this.errors.reset();
    this.waiting.reset();
    const o = this.options;
    const url = this.url;
    this.log.info(`connected to ${url}${this.brokers.position}`);
    this.alive = alive;
    const topics = [...o.subscriptions, ...this.extra];
    if (topics.length > 0) {
      this.subscriber.subscribe(client, topics, alive, this.retry());
    } else if (!o.presenceOnly) {
      this.log.warn('no topics to subscribe to: the gateway will receive nothing (set topics, or mapping and a map file)');
    }
    // The availability goes first on every connection: a new broker of the list learns it too
    // (the will is in every CONNECT). With pubqos 2 publishing waits until the broker's QoS is known.
    const attach = () =>
      this.publisher.attach(
        client,
        o.availabilityTopic ? { kind: 'gateway', topic: o.availabilityTopic, payload: this.payloads.online, qos: 1, retain: true } : undefined,
      );
    void this.checks.connected(client, connack, url, alive).then(() => {
      if (alive()) attach();
    });
    this.ctx.onConnected?.(url, connack.sessionPresent);
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
      if (this.options.version === 5 && !this.attemptFailed) this.closedBeforeConnack();
    }
    const delay = this.backoff.next();
    this.client.options.reconnectPeriod = delay;
    const from = this.url;
    const next = this.brokers.next(this.client.options);
    const s = (delay / 1000).toFixed(1);
    const v = this.waiting.hit('broker not reachable');
    if (next === undefined) {
      if (wasConnected) this.log.warn(`connection to ${from} lost; reconnecting in ${s} s`);
      else if (v.trigger) this.log.warn(`waiting for the broker at ${from}; next attempt in ${s} s (delays grow to ${this.options.reconnectMaxMs / 1000} s)`);
      else this.log.debug(`broker still not reachable; next attempt in ${s} s`);
    } else if (wasConnected) this.log.warn(`connection to ${from} lost; trying ${next} in ${s} s`);
    else if (v.trigger)
      this.log.warn(`no broker reachable yet (last tried ${from}); next attempt at ${next} in ${s} s (delays grow to ${this.options.reconnectMaxMs / 1000} s)`);
    else this.log.debug(`${from} not reachable; next attempt at ${next} in ${s} s`);
  }

  /** Closed by the broker with no CONNACK and no error: what a broker without MQTT 5 may do (RabbitMQ 3.10). */
  private closedBeforeConnack(): void {
    const v = this.errors.hit(
      `the broker at ${this.url} closed the connection without answering the MQTT 5 CONNECT: if it does not speak MQTT 5 (RabbitMQ 3.10 closes it so), set [MQTT] version: 3.1.1`,
    );
    if (v.trigger) this.log.error(v.report);
  }

  private onError(err: Error): void {
    this.attemptFailed = true;
    const { message, fatal } = describeConnectionError(err, { ...this.options, url: this.url });
    if (fatal) this.backoff.toMax();
    const v = this.errors.hit(message);
    if (v.trigger) this.log.error(v.report);
  }

  private kickedMessage(why: string): void {
    this.log.error(`${why}: another client probably uses the client id "${this.options.clientId}". ` + 'Give each gateway instance its own [MQTT] clientid.');
  }
}
