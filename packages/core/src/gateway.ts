import type { Logger, Logging } from '@mg/app-properties';
import { errorMessage, MgError } from '@mg/errors';
import { Throttle } from '@mg/throttled-error';
import { Connection } from './connection.js';
import { Counters } from './counters.js';
import type { GatewayInterface, InterfaceClass } from './interface.js';
import { MessageList } from './message-list.js';
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
  private readonly incoming: MessageList;
  private readonly incomingDrops = new Throttle({ kind: 'incoming drop' });
  private readonly outgoing = new MessageList();
  private readonly controller = new AbortController();
  private readonly connection: Connection;
  private readonly iface: GatewayInterface;
  private readonly rejects: Record<RejectReason, Throttle>;
  // One throttle per method: a storm of loop() errors must not hide the one from stop().
  private readonly interfaceErrors = new Map<string, Throttle>();
  private timers: NodeJS.Timeout[] = [];
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
    this.incoming = new MessageList({ limit: p.config.MQTT.incomingsize });
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
      onMessage: (topic, payload, correlation) => this.receive(topic, payload, correlation),
      random: options.random,
    });
    this.connection.start();
    this.startStats();
    if (typeof this.iface.loop === 'function') this.startPolling();
    else this.startEvents();
  }

  private receive(topic: string, payload: Buffer, correlation: string | undefined): void {
    if (this.ownTopics.has(topic)) return;
    this.counters.received += 1;
    const r = this.p.map.toInternal(topic, payload, correlation);
    if (r.ok) {
      this.counters.delivered += 1;
      if (this.log.isLevelEnabled('debug')) this.log.debug(`received ${r.value.toString()} (from "${topic}")`);
      if (!this.incoming.push(r.value)) {
        this.counters.incomingDropped += 1;
        const v = this.incomingDrops.hit('the interface is not taking incoming messages');
        if (v.trigger) this.log.warn(`${this.counters.incomingDropped} incoming messages dropped so far: the interface does not pull them ([MQTT] incomingsize ${this.incoming.limit} reached)`);
      }
      return;
    }
    this.rejected(r.reason, r.detail, 'incoming');
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
      if (this.log.isLevelEnabled('debug')) this.log.debug(`publishing ${r.value.payload} on "${r.value.topic}"`);
      this.connection.publish(r.value.topic, r.value.payload, {
        qos,
        retain: !msg.isCmd && retainStatus,
        coalesce: !msg.isCmd,
        correlation: r.value.correlation,
      });
    }
  }

  private startPolling(): void {
    const everyMs = this.p.config.MQTT.timeout * 1000;
    this.log.info(`polling mode: loop() every ${everyMs} ms`);
    const turn = async () => {
      if (this.controller.signal.aborted) return;
      try {
        await this.iface.loop!();
      } catch (err) {
        this.interfaceError('loop()', err);
      }
      this.publishOutgoing();
      if (!this.controller.signal.aborted) this.timers[0] = setTimeout(turn, everyMs);
    };
    this.timers[0] = setTimeout(turn, 0);
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

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.controller.abort();
    for (const t of this.timers) clearTimeout(t);
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
    this.log.info(`stopped; counters ${JSON.stringify(this.counters.toJSON())}`);
    await this.logging.close();
    this.resolveDone(0);
  }
}
