import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext, type InterfaceOptions } from '@mg/core';
import { LineTransport, PollScheduler, type StateChange } from '@mg/device-io';
import { Throttle } from '@mg/throttled-error';
import { describeFromOptions, describeSerialDevice, serialDeviceId } from './interface/device-description.js';
import { serialOptions, type SerialOptions } from './interface/options.js';
import { openProfile, profileDirs } from './interface/profile-source.js';
import { ProfilePolls } from './interface/profile-polls.js';
import { CommandRunner } from './interface/command-runner.js';
import { StatusQueue } from './interface/status-queue.js';
import type { CompiledProfile, ParsedStatus } from './profile/compiled.js';

/** The action of the status that tells MQTT whether the device is reachable. */
export const CONNECTION_ACTION = 'CONNECTION';

/** What the interface has seen and done since it started; plain numbers, nothing kept per message. */
export interface SerialCounters {
  /** Lines from the device (answers and spontaneous reports). */
  lines: number;
  /** Lines a status of the profile recognised, published. */
  statuses: number;
  /** Lines no status recognised (logged at DEBUG). */
  unknownLines: number;
  /** Over-long lines dropped by the transport. */
  overflows: number;
  /** Commands addressed to this device. */
  commands: number;
  /** Commands for another function, location or device, left alone. */
  ignored: number;
  /** Replies by response. */
  ok: number;
  errors: number;
  /** Of the errors: the device did not confirm in time. */
  timeouts: number;
  /** Connections to the device (the first included). */
  connections: number;
}

/**
 * The interface of serial2mqtt: one line-protocol device on a serial port or a TCP port, its
 * language given by a profile. Event-driven: device lines become status messages as they come;
 * commands are sent one at a time, each answered with OK once the device confirms it or ERROR
 * (a line protocol has no request ids, so a second command in flight could take the first
 * one's confirmation). The device may be absent or go away at any time: the transport
 * reconnects by itself, the declared device's availability follows it, and a CONNECTION
 * status tells MQTT too. The profile's periodic queries run on a poll scheduler (the port is
 * its bus) while the device is connected.
 */
export class SerialInterface implements GatewayInterface {
  static readonly options: SerialOptions = serialOptions();

  /**
   * The device the profile's capabilities describe (none without them), for the conventions a
   * launcher ships; the gateway validates it at start and `--check` does too. A relative
   * profile path is found here only when the options know the configuration file's directory
   * (`serialInterfaceFor`); otherwise the constructor declares the device.
   */
  static describe(options: InterfaceOptions<SerialOptions>): DeviceInput[] {
    return describeFromOptions(options, []);
  }

  readonly profile: CompiledProfile;
  readonly counters: SerialCounters = {
    lines: 0,
    statuses: 0,
    unknownLines: 0,
    overflows: 0,
    commands: 0,
    ignored: 0,
    ok: 0,
    errors: 0,
    timeouts: 0,
    connections: 0,
  };
  private readonly transport: LineTransport;
  /** The device the profile's capabilities declare; undefined without them. */
  private readonly declared: string | undefined;
  private readonly scheduler: PollScheduler;
  private readonly polls: ProfilePolls;
  private readonly untie: (() => void)[] = [];
  private readonly statusQueue: StatusQueue;
  private readonly overflowLog = new Throttle({ kind: 'over-long line' });
  // Aborted by stop() as well as by the gateway's signal, so that a caller driving the interface directly can stop it.
  private readonly halt = new AbortController();
  private commandLoop: Promise<void> | undefined;

  // Options only, as the contract asks: a profile or address that cannot work throws here, and
  // the gateway stops at start with one line saying why.
  constructor(private readonly ctx: InterfaceContext<SerialOptions>) {
    const o = ctx.options;
    this.profile = openProfile(o.profile, profileDirs(ctx.configFile));
    // The same description as describe() gives, from the profile as found next to the
    // configuration file: this covers a relative path that describe() could not locate.
    const devices = describeSerialDevice(this.profile, o);
    ctx.devices.set(devices);
    this.declared = devices[0]?.id;
    this.statusQueue = new StatusQueue(ctx.outgoing);
    if (ctx.signal.aborted) this.halt.abort();
    else ctx.signal.addEventListener('abort', () => this.halt.abort(), { once: true });
    this.transport = new LineTransport({
      address: o.port,
      ...this.profile.transportOptions(),
      requestTimeoutMs: o.replytimeout * 1000,
      serial: {
        baudRate: o.baudrate,
        dataBits: Number(o.databits) as 5 | 6 | 7 | 8,
        parity: o.parity,
        stopBits: Number(o.stopbits) as 1 | 1.5 | 2,
      },
      reconnect: { minMs: o.reconnectmin * 1000, maxMs: o.reconnectmax * 1000 },
      logger: ctx.logger,
    });
    const transport = this.profile.transportOptions();
    const { atStart, polls } = this.profile.queries;
    this.scheduler = new PollScheduler({
      // A poll only writes its lines, but they wait behind the queue's other writes, each spacingMs apart.
      timeoutMs: 2_000 + transport.spacingMs * (atStart.length + Math.max(0, ...polls.map((p) => p.send.length))),
      backoff: { minMs: o.reconnectmin * 1000, maxMs: o.reconnectmax * 1000 },
      logger: ctx.logger,
    });
    this.polls = new ProfilePolls({
      scheduler: this.scheduler,
      bus: this.transport.address,
      device: this.declared ?? serialDeviceId(this.profile, o),
      polls,
      write: (line) => this.transport.write(line),
    });
  }

  /** The transport's state: `connected` once the device is reachable. */
  get deviceState(): LineTransport['state'] {
    return this.transport.state;
  }

  /**
   * Opens the device and resolves after the first attempt, reached or not: an absent device is
   * a state (reported, retried), not a reason to stop the gateway. Commands are then read in
   * the background.
   */
  async start(): Promise<void> {
    const t = this.transport;
    const firstAttempt = new Promise<void>((resolve) => {
      const settled = (s: StateChange) => {
        if (s.state === 'connecting') return;
        t.off('state', settled);
        resolve();
      };
      t.on('state', settled);
    });
    t.on('state', (s) => this.onState(s));
    t.on('line', (line) => this.onLine(line));
    t.on('overflow', (info) => {
      this.counters.overflows += 1;
      const v = this.overflowLog.hit(`dropped a line from ${t.address} longer than ${info.maxLineBytes} bytes`);
      if (v.trigger) this.ctx.logger.warn(v.report);
    });
    t.on('retry', (r) => this.ctx.logger.debug(`${t.address}: attempt ${r.attempt} failed (${r.reason}); next in ${r.retryInMs} ms`));
    this.ctx.logger.info(`profile ${this.profile.name} (${this.profile.where}); device ${t.address}`);
    this.untie.push(this.ctx.devices.onPoll((device) => this.pollOnDemand(device)));
    // Untied before the transport stops (this listener comes first): a stop is no outage, and
    // the gateway publishes every device offline itself, quietly.
    this.halt.signal.addEventListener('abort', () => this.untie.splice(0).forEach((untie) => untie()), { once: true });
    this.scheduler.start(this.halt.signal);
    t.start(this.halt.signal);
    this.commandLoop = new CommandRunner({ ctx: this.ctx, transport: t, profile: this.profile, counters: this.counters, signal: this.halt.signal }).run();
    await firstAttempt;
    // From the first attempt's outcome on (the gateway connects to MQTT after start()): a device
    // absent at start is published offline at once, and a present one draws no warning.
    if (this.declared !== undefined && !this.halt.signal.aborted) this.untie.push(this.ctx.devices.follow(this.declared, t));
  }

  async stop(): Promise<void> {
    this.halt.abort();
    this.polls.pause();
    await Promise.all([this.transport.stop(), this.scheduler.stop()]);
    // Commands cut short by the stop get their ERROR reply before the gateway publishes the last messages.
    await this.commandLoop;
  }

  private onState(s: StateChange): void {
    const log = this.ctx.logger;
    if (s.state === 'connected') {
      this.counters.connections += 1;
      log.info(`device connected: ${s.address}`);
      this.pushStatus({ action: CONNECTION_ACTION, arguments: { state: 'connected' } });
      this.send(this.profile.queries.atStart);
      this.polls.resume();
    } else if (s.state === 'disconnected') {
      log.warn(`device disconnected: ${s.reason}; retrying in ${(s.retryInMs / 1000).toFixed(1)} s (the gateway goes on)`);
      this.pushStatus({ action: CONNECTION_ACTION, arguments: { state: 'disconnected', reason: s.error.reason } });
      this.polls.pause();
    } else if (s.state === 'stopped') {
      this.polls.pause();
    }
  }

  /**
   * A poll on demand (`[MQTT] polltopic`) for this device or all: the periodic queries at once,
   * on the scheduler; a profile without them sends its `atStart` queries instead, which ask
   * for the whole state.
   */
  private pollOnDemand(device: string | undefined): void {
    if (device !== undefined && device !== this.declared) return;
    const log = this.ctx.logger;
    if (this.transport.state !== 'connected') {
      log.debug('poll on demand: the device is not connected, nothing sent (the queries go at the next connection)');
    } else if (this.polls.any) {
      log.debug(`poll on demand: ${this.polls.pollNow()} periodic queries queued`);
    } else {
      log.debug('poll on demand: the profile has no periodic queries, its atStart queries are sent');
      this.send(this.profile.queries.atStart);
    }
  }

  /** The `atStart` queries, written and forgotten. */
  private send(lines: readonly string[]): void {
    // A query that fails (the device went away meanwhile) is asked again on the next connection;
    // the transport logs the failure at DEBUG.
    for (const line of lines) this.transport.write(line).catch(() => undefined);
  }

  private onLine(line: string): void {
    this.counters.lines += 1;
    const statuses = this.profile.statusesOf(line);
    if (statuses.length > 0) {
      this.counters.statuses += 1;
      for (const status of statuses) this.pushStatus(status);
      return;
    }
    this.counters.unknownLines += 1;
    if (this.ctx.logger.isLevelEnabled('debug'))
      this.ctx.logger.debug(`unknown line from the device: ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line)}`);
  }

  private pushStatus(status: ParsedStatus): void {
    const o = this.ctx.options;
    this.statusQueue.push(
      new InternalMessage({ isCmd: false, function: o.function, location: o.location, device: o.device, action: status.action, arguments: status.arguments }),
    );
  }
}
