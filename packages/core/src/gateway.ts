import type { Logger, Logging } from '@mg/app-properties';
import { errorMessage, MgError } from '@mg/errors';
import { Throttle } from '@mg/throttled-error';
import { Connection, type ReceivedPacket } from './connection.js';
import { Counters } from './counters.js';
import { IncomingFlow } from './incoming-flow.js';
import type { GatewayInterface, InterfaceClass } from './interface.js';
import { MessageList } from './message-list.js';
import { isReply } from './message.js';
import { REJECT_REASONS, type RejectReason } from './reject.js';
import { statsTopic } from './settings.js';
import { checkReport, earlyExit, logStart, parseArgs, prepare, type GatewayOptions, type Prepared, type StartedService } from './startup.js';

/** A running (or finished) gateway. */
export interface GatewayHandle {
  /** Stops gracefully: interface `stop()`, outgoing list published, `offline`, clean disconnect. */
  stop(): Promise<void>;
  /** Resolves with the exit code once the gateway has finished (stopped, or `--check` done). */
  readonly done: Promise<number>;
  readonly counters: Counters;
  /** False for `--help`, `--version`, `--check` and startup failures in process mode. */
  readonly running: boolean;
}

class GatewayStartError extends MgError {}

/**
 * Starts a gateway around an interface class: configuration, logging, map, MQTT connection and
 * the main loop (polling when the interface has `loop()`, event-driven when it has `start()`).
 */
export async function startGateway(Interface: InterfaceClass, options: GatewayOptions): Promise<GatewayHandle> {
  const processMode = options.handleProcess ?? true;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const finished = (code: number): GatewayHandle => {
    if (processMode) process.exitCode = code;
    return { stop: async () => undefined, done: Promise.resolve(code), counters: new Counters(), running: false };
  };

  // Before the logs exist, a startup failure is one line on stderr (with the stack under MG_DEBUG).
  const failed = (err: unknown): GatewayHandle => {
    if (!processMode) throw err;
    stderr.write(`${options.appName}: ${errorMessage(err)}\n`);
    if (process.env.MG_DEBUG && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
    return finished(1);
  };

  let prepared: Prepared;
  let logging: Logging;
  try {
    const args = parseArgs(options);
    const early = earlyExit(options, args);
    if (early !== undefined) {
      stdout.write(early);
      return finished(0);
    }
    prepared = prepare(options, args);
    if (args.check) {
      stdout.write(checkReport(prepared));
      // Like a linter: a run goes on past an unknown option (a warning), a check does not.
      return finished(prepared.loaded.warnings.length > 0 ? 2 : 0);
    }
    checkInterface(Interface);
    logging = prepared.app.startLogging(prepared.config.LOG, prepared.configFile, { stdout, stderr });
  } catch (err) {
    return failed(err);
  }
  logStart(logging, prepared);
  // One listener per signal for the whole run: a signal that arrives while services start is
  // kept and acted on once the gateway exists. (Swapping listeners can lose a signal that
  // libuv has caught but not yet dispatched.)
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  let pending: NodeJS.Signals | undefined;
  const listener = (signal: NodeJS.Signals) => (onSignal ? onSignal(signal) : (pending ??= signal));
  if (processMode) {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
  }
  const removeSignals = () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
  let service: StartedService | undefined;
  try {
    service = (await options.beforeConnect?.({ config: prepared.config, logger: logging.logger('service'), configFile: prepared.configFile })) ?? undefined;
    const gateway = new Gateway(Interface, prepared, logging, options, service);
    onSignal = (signal) => {
      logging.logger('core').info(`${signal} received: stopping`);
      void gateway.stop();
    };
    if (pending) onSignal(pending);
    void gateway.handle.done.then(() => {
      removeSignals();
      // An interface that left a socket or a timer open would keep the process alive after a
      // clean stop; give the event loop a moment to empty, then exit with the code set.
      if (processMode) setTimeout(() => process.exit(), 3_000).unref();
    });
    return gateway.handle;
  } catch (err) {
    removeSignals();
    logging.logger('core').critical(`cannot start: ${errorMessage(err)}`);
    await service?.close();
    await logging.close();
    if (!processMode) throw err;
    return finished(1);
  }
}

function checkInterface(Interface: InterfaceClass): void {
  const proto = Interface?.prototype as GatewayInterface | undefined;
  if (typeof Interface !== 'function' || !proto || (typeof proto.loop !== 'function' && typeof proto.start !== 'function')) {
    throw new GatewayStartError(
      'INTERFACE_INVALID',
      `interface ${Interface?.name || String(Interface)} has neither loop() (polling) nor start() (event-driven): give it one of them`,
    );
  }
}

class Gateway {
  readonly counters = new Counters();
  readonly handle: GatewayHandle;
  private readonly log: Logger;
  // Asked once: the level does not change while running, and the hot path asks per message.
  private readonly debug: boolean;
  private readonly incoming: MessageList;
  private readonly flow: IncomingFlow;
  private readonly incomingDrops = new Throttle({ kind: 'incoming drop' });
  // One report a minute at most: a slow interface pauses and resumes reading all the time.
  private readonly pauses = new Throttle({ kind: 'incoming pause', lagMs: 60_000 });
  private readonly outgoing: MessageList;
  private readonly controller = new AbortController();
  private readonly connection: Connection;
  private readonly iface: GatewayInterface;
  private readonly rejects: Record<RejectReason, Throttle>;
  // One throttle per method: a storm of loop() errors must not hide the one from stop().
  private readonly interfaceErrors = new Map<string, Throttle>();
  private timers: NodeJS.Timeout[] = [];
  private pollTimer: NodeJS.Timeout | undefined;
  private turnQueued = false;
  private turnRunning = false;
  private readonly qos: 0 | 1 | 2;
  /** Availability and counters topics: a wide subscription (root/#) sees them come back. */
  private readonly ownTopics: Set<string>;
  private readonly statsTopic: string | undefined;
  private readonly retainStatus: boolean;
  private stopping: Promise<void> | undefined;
  private resolveDone!: (code: number) => void;

  constructor(
    Interface: InterfaceClass,
    private readonly p: Prepared,
    private readonly logging: Logging,
    options: GatewayOptions,
    private readonly service: StartedService | undefined,
  ) {
    this.log = logging.logger('core');
    this.debug = this.log.isLevelEnabled('debug');
    this.incoming = new MessageList({ limit: p.config.MQTT.incomingsize });
    this.flow = new IncomingFlow(this.incoming, { overflow: p.config.MQTT.incomingoverflow }, {
      paused: (waiting) => this.onPaused(waiting),
      resumed: (ms) => this.onResumed(ms),
      dropped: () => this.onIncomingDropped(),
    });
    this.outgoing = new MessageList({ drained: () => this.outgoingDrained() });
    this.statsTopic = statsTopic(p.app, p.config.MQTT, p.map);
    this.ownTopics = new Set([p.connection.availabilityTopic, this.statsTopic].filter((t): t is string => t !== undefined));
    this.qos = Number(p.config.MQTT.pubqos) as 0 | 1 | 2;
    this.retainStatus = p.config.MQTT.retain;
    this.rejects = Object.fromEntries(REJECT_REASONS.map((r) => [r, new Throttle({ kind: r })])) as Record<RejectReason, Throttle>;
    const done = new Promise<number>((resolve) => (this.resolveDone = resolve));
    this.handle = { stop: () => this.stop(), done, counters: this.counters, running: true };

    this.iface = new Interface({
      params: p.config.INTERFACE,
      incoming: this.incoming,
      outgoing: this.outgoing,
      logger: logging.logger('interface'),
      signal: this.controller.signal,
      appName: p.app.name,
      configFile: p.configFile,
    });
    this.connection = new Connection(p.connection, {
      logger: logging.logger('mqtt'),
      counters: this.counters,
      onMessage: (packet, ack) => this.receive(packet, ack),
      onConnectionLost: () => this.flow.connectionLost(),
      random: options.random,
    });
    this.connection.start();
    this.startStats();
    if (typeof this.iface.loop === 'function') this.startPolling();
    else this.startEvents();
  }

  /** A message from the broker: `ack` once it is in the incoming list (or rejected). */
  private receive(packet: ReceivedPacket, ack: () => void): void {
    const { topic } = packet;
    if (this.ownTopics.has(topic)) return ack();
    this.counters.received += 1;
    const r = this.p.map.toInternal(topic, packet.payload, packet.correlation);
    if (!r.ok) {
      this.rejected(r.reason, r.detail, 'incoming');
      return ack();
    }
    this.counters.delivered += 1;
    if (this.debug) this.log.debug(`received ${r.value.toString()} (from "${topic}")`);
    this.flow.offer(r.value, ack, packet.qos > 0 && !this.p.connection.clean);
  }

  private onPaused(waiting: number): void {
    this.counters.incomingPauses += 1;
    this.counters.incomingPaused = true;
    this.connection.setReadingPaused(true);
    const v = this.pauses.hit('the interface is not keeping up');
    if (v.trigger) {
      this.log.warn(
        `the interface is not keeping up: ${waiting} incoming messages wait for it ([MQTT] incomingsize ${this.incoming.limit}); ` +
          `reading from the broker pauses until it has taken ${waiting - this.flow.resumeAt} of them (new messages wait at the broker; pause number ${this.counters.incomingPauses})`,
      );
    }
  }

  private onResumed(ms: number): void {
    this.counters.incomingPaused = false;
    this.counters.incomingPausedMs += ms;
    this.connection.setReadingPaused(false);
    if (this.log.isLevelEnabled('debug')) this.log.debug(`reading from the broker again after ${ms} ms`);
  }

  private onIncomingDropped(): void {
    this.counters.incomingDropped += 1;
    const v = this.incomingDrops.hit('the interface is not taking incoming messages');
    if (v.trigger) this.log.warn(`${this.counters.incomingDropped} incoming messages dropped so far: the interface does not keep up ([MQTT] incomingsize ${this.incoming.limit} reached, incomingoverflow dropoldest)`);
  }

  /** `ctx.outgoing.drained()`: publish what the interface pushed, then wait for the socket. */
  private outgoingDrained(): Promise<void> {
    this.publishOutgoing();
    return this.connection.drained();
  }

  private rejected(reason: RejectReason, detail: string, direction: 'incoming' | 'outgoing'): void {
    this.counters.rejected[reason] += 1;
    // Echoes and strict-map misses are routine filtering, not faults.
    if (reason === 'echo') {
      if (this.log.isLevelEnabled('debug')) this.log.debug(`ignored: ${detail}`);
      return;
    }
    const v = this.rejects[reason].hit(detail);
    if (!v.trigger) return;
    const text = `${direction} message rejected (${reason}): ${v.report}`;
    if (reason === 'strict-miss' && direction === 'incoming') this.log.info(text);
    else this.log.warn(text);
  }

  /** Publishes everything the interface has pushed. */
  private publishOutgoing(): void {
    const { qos, retainStatus } = this;
    for (let msg = this.outgoing.pull(); msg; msg = this.outgoing.pull()) {
      const r = this.p.map.toMqtt(msg);
      if (!r.ok) {
        this.rejected(r.reason, `${r.detail}: ${msg.toString()}`, 'outgoing');
        continue;
      }
      if (this.debug) this.log.debug(`publishing ${r.value.payload} on "${r.value.topic}"`);
      this.connection.publish(r.value.topic, r.value.payload, {
        qos,
        retain: !msg.isCmd && retainStatus,
        // Only a device's state may be replaced by a newer one: a command, or the reply to one
        // (it carries the request's correlation), is always sent.
        coalesce: !msg.isCmd && msg.correlation === undefined && !isReply(msg),
        correlation: r.value.correlation,
      });
    }
  }

  /**
   * Polling mode: `loop()` runs as soon as incoming messages wait (after the network events
   * that brought them, like the original's loop), and at least every `[MQTT] timeout`
   * otherwise. What the interface pushes is published at once.
   */
  private startPolling(): void {
    const everyMs = this.p.config.MQTT.timeout * 1000;
    this.log.info(`polling mode: loop() when messages arrive, and at least every ${everyMs} ms`);
    const run = () => {
      this.turnQueued = false;
      if (this.pollTimer) clearTimeout(this.pollTimer);
      this.pollTimer = undefined;
      void this.turn(everyMs);
    };
    this.wakeTurn = () => {
      if (this.turnQueued || this.turnRunning || this.controller.signal.aborted) return;
      this.turnQueued = true;
      setImmediate(run);
    };
    this.incoming.onPush(() => this.wakeTurn());
    // Published as soon as pushed, as in event mode: a long loop() (a slow device) must not hold
    // back its replies, nor grow the outgoing list, until it returns.
    this.outgoing.onPush(() => this.publishOutgoing());
    this.wakeTurn();
  }

  private wakeTurn: () => void = () => undefined;

  private async turn(everyMs: number): Promise<void> {
    if (this.controller.signal.aborted) return;
    this.turnRunning = true;
    const before = this.incoming.pulls;
    try {
      await this.iface.loop!();
    } catch (err) {
      this.interfaceError('loop()', err);
    }
    this.turnRunning = false;
    this.publishOutgoing();
    if (this.controller.signal.aborted) return;
    // Again at once while messages wait and the interface takes them; an interface that does
    // not take them is called every timeout, not in a busy loop.
    if (this.incoming.size > 0 && this.incoming.pulls !== before) this.wakeTurn();
    else this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      this.wakeTurn();
    }, everyMs);
  }

  private startEvents(): void {
    this.log.info('event-driven mode: start() called once, messages published as they are pushed');
    this.outgoing.onPush(() => this.publishOutgoing());
    Promise.resolve()
      .then(() => this.iface.start!())
      .catch((err: unknown) => this.interfaceError('start()', err));
  }

  private startStats(): void {
    const topic = this.statsTopic;
    if (!topic) return;
    const timer = setInterval(() => {
      this.connection.publish(topic, JSON.stringify(this.counters.toJSON()), { qos: 0, retain: false, coalesce: true });
    }, this.p.config.MQTT.statsinterval * 1000);
    timer.unref();
    this.timers.push(timer);
  }

  private interfaceError(where: string, err: unknown): void {
    this.counters.interfaceErrors += 1;
    let throttle = this.interfaceErrors.get(where);
    if (!throttle) this.interfaceErrors.set(where, (throttle = new Throttle({ kind: `interface ${where}` })));
    const v = throttle.hit(`${where} threw: ${errorMessage(err)}`);
    if (v.trigger) {
      this.log.error(`interface ${v.report}; the gateway goes on`);
      if (err instanceof Error && err.stack && this.log.isLevelEnabled('debug')) this.log.debug(err.stack);
    }
  }

  /**
   * The last words: reports the throttles held back, and the totals of every drop and refusal,
   * so that a short run does not end with "1 dropped so far" when thousands were.
   */
  private finalReport(leftToBroker: number): void {
    const c = this.counters;
    if (this.incomingDrops.pending > 0) this.log.warn(`${c.incomingDropped} incoming messages were dropped in all (incomingoverflow dropoldest)`);
    if (this.connection.unreportedDrops() > 0) this.log.warn(`${c.dropped} outgoing messages were dropped in all (outbox full)`);
    for (const [reason, throttle] of Object.entries(this.rejects)) {
      if (throttle.pending > 0) this.log.warn(`${c.rejected[reason as RejectReason]} messages were rejected in all (${reason})`);
    }
    if (leftToBroker > 0) this.log.info(`${leftToBroker} incoming messages read but not acknowledged were left to the broker`);
    const rejected = Object.entries(c.rejected).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`);
    this.log.info(
      `stopped. Totals: received ${c.received}, delivered ${c.delivered}, published ${c.published}, ` +
        `outgoing dropped ${c.dropped}, coalesced ${c.coalesced}, incoming dropped ${c.incomingDropped}, ` +
        `reading paused ${c.incomingPauses} times (${(c.incomingPausedMs / 1000).toFixed(1)} s), interface errors ${c.interfaceErrors}, ` +
        `rejected ${rejected.length > 0 ? rejected.join(', ') : 'none'}`,
    );
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.controller.abort();
    for (const t of this.timers) clearTimeout(t);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const left = this.flow.close();
    try {
      await this.iface.stop?.();
    } catch (err) {
      this.interfaceError('stop()', err);
    }
    this.publishOutgoing();
    this.incoming.close();
    this.outgoing.close();
    await this.connection.stop();
    await this.service?.close();
    this.finalReport(left);
    await this.logging.close();
    this.resolveDone(0);
  }
}
