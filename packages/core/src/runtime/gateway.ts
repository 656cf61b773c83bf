import { EventEmitter } from 'node:events';
import type { Logger, Logging } from '@mg/app-properties';
import { errorMessage } from '@mg/errors';
import { MessageList } from '../model/message-list.js';
import type { InternalMessage } from '../model/message.js';
import type { Rejection } from '../model/reject.js';
import { Connection } from '../mqtt/connection.js';
import type { ReceivedPacket } from '../mqtt/connection-options.js';
import { statsTopic } from './mqtt-settings.js';
import { StatsPublisher } from './stats.js';
import type { Transport, TransportFactory } from '../mqtt/transport.js';
import { contained } from './callbacks.js';
import { systemClock, type Clock } from './clock.js';
import { Counters, type GatewayCounters } from './counters.js';
import { DeviceServices } from './device-services.js';
import { ExtensionHost, type ExtensionHostParts } from './extension-host.js';
import { GatewayStatus } from './gateway-view.js';
import type { GatewayEvents, Refusal } from './events.js';
import { IncomingFlow } from './incoming-flow.js';
import { IncomingList } from './incoming-list.js';
import { ExtensionError, GatewayStateError, InterfaceError } from '../error-catalog.js';
import type { GatewayInterface, InterfaceClass } from './interface.js';
import { Outgoing } from './outgoing.js';
import { PollingLoop } from './polling.js';
import { refusalReply } from './refusal-reply.js';
import { counted, were } from '../model/words.js';
import { Reports } from './report.js';
import { paramsOf, type Setup } from './setup.js';

/** Internal parts a gateway can be built with (the runner's service, the testing kit's transport). */
export interface GatewayParts {
  logging: Logging;
  /** Closed with the gateway (the logging it started, an embedded broker). */
  owned?: { close(): Promise<void> }[];
  transport?: TransportFactory;
  /** The second connection of an extension's presence (default: a real one, like the gateway's). */
  presence?: ExtensionHostParts['presence'];
  random?: () => number;
  /** Time and timers of the publish policies. Default: the process's (jest's fake timers drive it). */
  clock?: Clock;
}

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

const START_WARNING_MS = 10_000;

/**
 * A gateway: an interface, its configuration, the MQTT connection and the flow between them.
 * Built by `createGateway()` (a library call) or by `startGateway()` (the program).
 * `start()` awaits the interface's `start()`, then connects; `stop()` ends everything cleanly.
 */
export class Gateway extends EventEmitter<GatewayEvents> {
  private readonly internal = new Counters();
  private readonly log: Logger;
  private readonly debug: boolean;
  private readonly incoming: IncomingList;
  private readonly outgoing: MessageList;
  private readonly flow: IncomingFlow;
  private readonly transport: Transport;
  private readonly controller = new AbortController();
  private readonly reports: Reports;
  /** Availability and counters topics: a wide subscription (root/#) sees them come back. */
  private readonly ownTopics: Set<string>;
  private readonly stats: StatsPublisher;
  private readonly qos: 0 | 1 | 2;
  /** The declared devices, their availability, polls on demand. */
  private readonly devices: DeviceServices;
  /** The interface's messages on their way out (publish policies, timestamps). */
  private readonly out: Outgoing;
  private readonly extensions: ExtensionHost;
  private iface: GatewayInterface | undefined;
  private polling: PollingLoop | undefined;
  private state: State = 'new';
  /** The interface's `start()` has resolved, and its `stop()` not begun (`ctx.gateway.status()`). */
  private interfaceStarted = false;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly Interface: InterfaceClass,
    private readonly setup: Setup,
    private readonly parts: GatewayParts,
  ) {
    super();
    const mqtt = setup.config.MQTT;
    this.log = parts.logging.logger('core');
    this.debug = this.log.isLevelEnabled('debug');
    this.reports = new Reports(this.log, this.internal, this);
    this.incoming = new IncomingList({ limit: mqtt.incomingsize });
    this.outgoing = new MessageList({ drained: () => this.out.drained() });
    this.flow = new IncomingFlow(
      this.incoming,
      { overflow: mqtt.incomingoverflow, acknowledge: mqtt.acknowledge },
      {
        paused: (waiting) => this.reports.paused(waiting, waiting - this.flow.resumeAt, this.incoming.limit),
        resumed: (ms) => this.reports.resumed(ms),
        reading: (stopped) => this.transport.setReadingPaused(stopped),
        dropped: () => this.reports.incomingDropped(this.incoming.limit),
        taken: (msg, topic) => this.taken(msg, topic),
        withdrawn: () => (this.internal.delivered -= 1),
      },
    );
    this.qos = mqtt.pubqos;
    const context = {
      logger: parts.logging.logger('mqtt'),
      counters: this.internal,
      onMessage: (packet: ReceivedPacket, ack: () => void) => this.receive(packet, ack),
      onConnectionLost: () => {
        this.flow.connectionLost();
        this.emit('disconnected');
      },
      onConnected: (url: string, sessionPresent: boolean) => {
        this.heldDecided(this.flow.connected(sessionPresent));
        this.emit('connected', { url });
        this.devices.connected();
        this.extensions.connected();
      },
      onSubscribed: (filters: string[]) => this.emit('subscribed', { filters }),
      random: parts.random,
    };
    this.transport = parts.transport ? parts.transport(context) : new Connection(setup.connection, context);
    this.stats = new StatsPublisher(statsTopic(setup.app, mqtt, setup.map), mqtt.statsinterval * 1000, this.transport, this.internal);
    this.ownTopics = new Set([setup.connection.availabilityTopic, this.stats.topic].filter((t): t is string => t !== undefined));
    // Extensions' listeners are guarded in their own view (scopedDevices): nothing else listens to the registry.
    this.devices = new DeviceServices({
      setup,
      source: `interface ${Interface.name}`,
      transport: this.transport,
      counters: this.internal,
      changed: (change, stopping) => this.reports.deviceAvailability(change, stopping),
      refused: (detail, topic) => this.refused({ reason: 'invalid-value', detail, topic }, 'incoming'),
      interfaceError: (where, err) => this.interfaceError(where, err),
    });
    this.out = new Outgoing({
      setup,
      list: this.outgoing,
      transport: this.transport,
      devices: this.devices.registry,
      observed: () => this.extensions.active,
      events: this,
      refused: (r) => this.refused(r, 'outgoing'),
      log: this.log,
      counters: this.internal,
      clock: parts.clock ?? systemClock(),
    });
    this.extensions = new ExtensionHost(setup.extensions, {
      setup,
      logging: parts.logging,
      transport: this.transport,
      devices: this.devices.registry,
      availability: this.devices.availability,
      signal: this.controller.signal,
      failed: (extension, where, err) => this.reports.extensionError(extension, where, err),
      refused: (detail) => this.refused({ reason: 'invalid-value', detail }, 'incoming'),
      presence: parts.presence,
      gateway: new GatewayStatus({
        events: this,
        counters: this.internal,
        brokers: setup.connection.brokers.map((b) => b.url),
        incoming: this.incoming,
        transport: this.transport,
        outboxLimit: setup.connection.outboxSize,
        status: () => ({ state: this.state === 'new' ? 'starting' : this.state, interfaceStarted: this.interfaceStarted }),
      }),
      events: this,
      // A write of an extension (`ctx.write()`) has no MQTT message: nothing to acknowledge, no topic.
      deliver: (msg) => this.deliver(msg, { topic: '', payload: Buffer.alloc(0), qos: 0 }, () => undefined),
    });
  }

  /** Whether the interface says a declared device is reachable; undefined for an id no declared device has. */
  available(device: string): boolean | undefined {
    return this.devices.availability.available(device);
  }

  /** What the gateway did so far (also published on the stats topic). */
  get counters(): GatewayCounters {
    return this.internal.toJSON();
  }

  /**
   * Builds the interface and awaits its `start()` (device I/O), then connects and, in polling
   * mode, starts the turns. Rejects, after a clean stop, when the interface cannot start.
   */
  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new GatewayStateError(
        'GATEWAY_ALREADY_STARTED',
        `start() was called on a gateway already ${this.state}: a gateway starts once; build a new one to start again`,
      );
    this.state = 'starting';
    const { setup } = this;
    try {
      const values = setup.config.INTERFACE as Record<string, unknown>;
      // A static describe() declares the devices, even none; without one they are declared by ctx.devices.set().
      if (this.Interface.describe) this.devices.registry.set(setup.devices);
      this.iface = new this.Interface({
        options: values,
        params: paramsOf(values),
        incoming: this.incoming,
        outgoing: this.outgoing,
        logger: this.parts.logging.logger('interface'),
        signal: this.controller.signal,
        appName: setup.app.name,
        configFile: setup.configFile || 'the configuration object',
        contain: (where, callback) => this.contain(where, callback),
        devices: this.devices.declarations,
      });
      this.outgoing.onPush(() => this.out.publishAll());
      // A start() that never resolves (a message loop awaited in it) still works, but nothing
      // after it runs: say so once, with the fix.
      const slow = setTimeout(
        () =>
          this.log.warn(
            `still waiting for interface ${this.Interface.name}.start() after ${START_WARNING_MS / 1000} s: start() should resolve once the device is open; run message loops in the background (void this.run())`,
          ),
        START_WARNING_MS,
      );
      slow.unref();
      try {
        await this.iface.start?.();
        this.interfaceStarted = true;
      } finally {
        clearTimeout(slow);
      }
    } catch (err) {
      this.interfaceError(this.iface ? 'start()' : 'constructor', err, false);
      await this.stop();
      throw new InterfaceError('INTERFACE_START_FAILED', `interface ${this.Interface.name} could not start: ${errorMessage(err)}`, { cause: err });
    }
    try {
      // Stopped while the interface was starting: the extensions' stop has run, do not start them after it.
      if (this.state === 'starting') await this.extensions.start();
    } catch (err) {
      // Always an ExtensionError naming the extension: its own failure, not the interface's.
      const failure = err as ExtensionError<string>;
      this.reports.extensionError(failure.extension, 'start()', failure, true);
      await this.stop();
      throw failure;
    }
    if (this.state !== 'starting') return; // stopped while starting
    this.log.info(
      setup.mode === 'polling'
        ? `polling mode: loop() when messages arrive, and at least every ${setup.config.MQTT.timeout * 1000} ms`
        : 'event-driven mode: messages published as they are pushed',
    );
    this.devices.subscribe();
    this.transport.start();
    this.stats.start();
    if (setup.mode === 'polling') {
      this.polling = new PollingLoop({ incoming: this.incoming, everyMs: setup.config.MQTT.timeout * 1000, turn: () => this.turn() });
      this.polling.start();
    }
    this.state = 'running';
    this.emit('started');
  }

  /** Stops gracefully: interface `stop()`, outgoing messages published, `offline`, clean disconnect. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** `ctx.contain`: a device callback whose errors are counted and logged, never fatal. */
  private contain<A extends unknown[]>(where: string, callback: (...args: A) => unknown): (...args: A) => void {
    return contained(where, callback, (w, err) => this.interfaceError(w, err));
  }

  /** One polling turn, its errors contained; synchronous when `loop()` is. */
  private turn(): void | Promise<void> {
    try {
      const pending = this.iface!.loop!();
      // A promise only: a JavaScript loop() that returns some other value is a synchronous one.
      if (pending && typeof pending.then === 'function') return pending.then(undefined, (err: unknown) => this.interfaceError('loop()', err));
    } catch (err) {
      this.interfaceError('loop()', err);
    }
  }

  /** A message from the broker: `ack` once it is in the incoming list (or refused). */
  private receive(packet: ReceivedPacket, ack: () => void): void {
    const { topic } = packet;
    if (this.ownTopics.has(topic) || this.devices.owns(topic)) return ack();
    this.internal.received += 1;
    // A poll on demand; not served while stopping: the interface is closing its devices.
    if (this.devices.received(topic, packet.payload, packet.retain === true, this.state === 'running')) return ack();
    if (this.extensions.routes.size > 0) {
      const route = this.extensions.routes.find(topic);
      if (route) {
        // An extension's topic: a write it finds there goes to the interface as a command, and
        // the extension hears that it was taken only once it was (not while the gateway stops).
        const cmd = this.extensions.command(route, packet);
        if (!cmd) return ack();
        if (this.deliver(cmd.msg, packet, ack)) this.extensions.accepted(route, cmd.write);
        return;
      }
    }
    const r = this.setup.map.toInternal(topic, packet.payload, packet.correlation);
    if (!r.ok) {
      this.refused(r, 'incoming');
      if (r.reason === 'strict-miss' && this.setup.config.MQTT.replyrefused) this.replyRefused(packet, r);
      return ack();
    }
    this.deliver(r.value, packet, ack);
  }

  /** Hands a message to the interface, through flow control; false when the gateway is stopping and did not take it. */
  private deliver(msg: InternalMessage, packet: ReceivedPacket, ack: () => void): boolean {
    return this.flow.offer(msg, ack, packet.qos > 0 && !this.setup.connection.clean, packet.topic);
  }

  /** A message is in the incoming list (`deliver()` may have held it for room first): counted and told only now. */
  private taken(msg: InternalMessage, topic: string): void {
    this.internal.delivered += 1;
    if (this.debug) this.log.debug(`received ${msg.toString()} (from "${topic}")`);
    if (this.listenerCount('message-in') > 0) this.emit('message-in', msg, topic);
  }

  /** Says what the CONNACK decided for messages held when the connection was lost. */
  private heldDecided(d: { leftToBroker: number; kept: number }): void {
    if (d.leftToBroker > 0)
      this.log.info(
        `the broker kept the session: ${counted(d.leftToBroker, 'message')} held when the connection was lost ${d.leftToBroker === 1 ? 'comes' : 'come'} again from it`,
      );
    if (d.kept > 0)
      this.log.warn(
        `the broker did not keep the session (restarted without persistence, or the session expired): ${counted(d.kept, 'message')} held when the connection was lost ${were(d.kept)} kept and ${d.kept === 1 ? 'goes' : 'go'} to the interface first`,
      );
  }

  /** `[MQTT] replyrefused`: the sender of a refused command gets an ERROR status saying why. */
  private replyRefused(packet: ReceivedPacket, rejection: Rejection): void {
    const reply = refusalReply(packet, rejection, {
      rootLevels: this.setup.map.root === '' ? 0 : this.setup.map.root.split('/').length,
      sender: this.setup.map.senderToken,
    });
    if (reply) this.transport.publish(reply.topic, reply.payload, { kind: 'gateway', qos: this.qos, retain: false, correlation: reply.correlation });
  }

  private refused(rejection: Refusal, direction: 'incoming' | 'outgoing'): void {
    this.reports.refused(rejection, direction);
  }

  private interfaceError(where: string, err: unknown, goesOn = true): void {
    this.reports.interfaceError(where, err, goesOn);
  }

  private async shutdown(): Promise<void> {
    const started = this.state !== 'new';
    this.state = 'stopping';
    this.controller.abort();
    this.polling?.stop();
    this.stats.stop();
    const left = this.flow.close();
    this.interfaceStarted = false;
    try {
      if (this.iface) await this.iface.stop?.();
    } catch (err) {
      this.interfaceError('stop()', err);
    }
    this.out.publishAll();
    this.out.stop();
    this.incoming.close();
    this.outgoing.close();
    this.devices.stop();
    await this.extensions.stop();
    if (started) await this.transport.stop();
    this.reports.final(left, this.transport.unreportedDrops());
    for (const part of this.parts.owned ?? []) await part.close();
    this.state = 'stopped';
    this.emit('stopped', this.internal.toJSON());
  }
}
