import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext, type InterfaceOptions, type JsonValue } from '@mg/core';
import { PollScheduler, type PollBackoffInfo, type PollInfo } from '@mg/device-io';
import { errorMessage } from '@mg/errors';
import { parseBusAddress } from './bus/address.js';
import type { ModbusRequest, ReadResult } from './bus/client.js';
import { interFrameGapMs } from './bus/interframe.js';
import { ModbusBus, type BusStateChange } from './bus/modbus-bus.js';
import { readRequest, runCommand, type CommandOutcome } from './interface/commands.js';
import { describeFromOptions, describeUnits, profileBaseDir } from './interface/device-description.js';
import { modbusOptions, type ModbusOptions } from './interface/options.js';
import { StatusQueue } from './interface/status-queue.js';
import { parseUnitList } from './interface/unit-list.js';
import { loadUnitProfiles, type ModbusUnit } from './interface/unit-profiles.js';
import { UnitPolls } from './interface/unit-polls.js';
import type { ModbusPoint } from './profile/index.js';

/** What the interface has seen and done since it started; plain numbers. */
export interface ModbusCounters {
  /** Read requests answered. */
  reads: number;
  /** Write requests answered. */
  writes: number;
  /** Requests answered with a Modbus exception. */
  exceptions: number;
  /** Requests with no answer after their retries. */
  timeouts: number;
  /** Registers read (words of holding and input registers). */
  registersRead: number;
  /** Bits read (coils and discrete inputs). */
  bitsRead: number;
  /** Statuses pushed (a policy may still withhold some). */
  statuses: number;
  /** Commands for a unit of this bus. */
  commands: number;
  /** Commands for another function, location or device, left alone. */
  ignored: number;
  /** Replies by response. */
  ok: number;
  errors: number;
  /** Connections to the bus (the first included). */
  connections: number;
}

/**
 * The interface of modbus2mqtt: the units of one Modbus bus (TCP, RTU over TCP, or an RS-485
 * line), each described by a register profile. Their points are read on a poll scheduler (the
 * bus is its bus: one request at a time), batched, and published as statuses; a unit that stops
 * answering is backed off alone and goes offline while the others keep their rate. Commands
 * write a point, read it back and reply OK with the value, or ERROR naming the exception.
 */
export class ModbusInterface implements GatewayInterface {
  static readonly options: ModbusOptions = modbusOptions();

  /** The units whose profiles the options alone locate; the constructor declares all of them. */
  static describe(options: InterfaceOptions<ModbusOptions>): DeviceInput[] {
    return describeFromOptions(options, undefined);
  }

  readonly units: readonly ModbusUnit[];
  readonly counters: ModbusCounters = {
    reads: 0,
    writes: 0,
    exceptions: 0,
    timeouts: 0,
    registersRead: 0,
    bitsRead: 0,
    statuses: 0,
    commands: 0,
    ignored: 0,
    ok: 0,
    errors: 0,
    connections: 0,
  };
  private readonly bus: ModbusBus;
  private readonly scheduler: PollScheduler;
  private readonly polls = new Map<string, UnitPolls>();
  private readonly declared: Set<string>;
  private readonly statusQueue: StatusQueue;
  private readonly halt = new AbortController();
  private readonly offsets = new Map<number, number>();
  private readonly untie: (() => void)[] = [];
  private commandLoop: Promise<void> | undefined;

  // Options only: a profile or address that cannot work throws here, and the gateway stops at
  // start with one line saying why.
  constructor(private readonly ctx: InterfaceContext<ModbusOptions>) {
    const o = ctx.options;
    this.units = loadUnitProfiles(parseUnitList(o.devices), profileBaseDir(ctx.configFile), { strict: true });
    const devices = describeUnits(this.units, o);
    ctx.devices.set(devices);
    this.declared = new Set(devices.map((d) => d.id));
    this.statusQueue = new StatusQueue(ctx.outgoing);
    if (ctx.signal.aborted) this.halt.abort();
    else ctx.signal.addEventListener('abort', () => this.halt.abort(), { once: true });
    const address = parseBusAddress(o.address);
    const serial = { baudRate: o.baudrate, dataBits: Number(o.databits), parity: o.parity, stopBits: Number(o.stopbits) };
    const interFrameMs = address.kind === 'tcp' ? 0 : o.interframe === '' ? interFrameGapMs(serial) : Number(o.interframe);
    this.bus = new ModbusBus({
      address,
      serial,
      timeoutMs: o.timeout,
      retries: o.retries,
      interFrameMs,
      reconnect: { minMs: o.reconnectmin * 1000, maxMs: o.reconnectmax * 1000 },
      logger: ctx.logger,
    });
    this.scheduler = new PollScheduler({
      // One poll is one read with its retries; a command's write and read-back may be ahead of it on the bus.
      timeoutMs: (o.retries + 1) * (o.timeout + interFrameMs) * 3 + 500,
      backoff: { minMs: o.reconnectmin * 1000, maxMs: o.reconnectmax * 1000 },
      logger: ctx.logger,
      name: `modbus ${this.bus.name}`,
    });
    for (const unit of this.units) {
      this.polls.set(
        unit.name,
        new UnitPolls({
          scheduler: this.scheduler,
          bus: this.bus.name,
          unit,
          maxGap: o.maxgap,
          offsetMs: (intervalMs) => this.nextOffset(intervalMs),
          read: async (batch, signal) => (await this.request(readRequest(unit.unit, batch), signal)) as ReadResult,
          publish: (u, values) => this.publish(u, values),
          logger: ctx.logger,
        }),
      );
    }
  }

  /** The bus's connection: `connected` once it is reachable. */
  get busState(): ModbusBus['state'] {
    return this.bus.state;
  }

  /** Connects in the background and resolves after the first attempt, reached or not. */
  async start(): Promise<void> {
    const firstAttempt = new Promise<void>((resolve) => {
      const settled = (s: BusStateChange) => {
        if (s.state === 'connecting') return;
        this.bus.off('state', settled);
        resolve();
      };
      this.bus.on('state', settled);
    });
    this.bus.on(
      'state',
      this.ctx.contain('modbus bus state', (s: BusStateChange) => this.onState(s)),
    );
    this.scheduler.on(
      'backoff',
      this.ctx.contain('modbus unit backoff', (b: PollBackoffInfo) => this.setAvailable(b.device, false, `no answer (${b.reason})`)),
    );
    this.scheduler.on(
      'poll',
      this.ctx.contain('modbus poll', (p: PollInfo) => {
        if (p.ok) this.setAvailable(p.device, true);
      }),
    );
    const names = this.units.map((u) => `${u.name}:${u.unit}:${u.compiled.name}`).join(', ');
    this.ctx.logger.info(`bus ${this.bus.name}; devices ${names}`);
    this.untie.push(this.ctx.devices.onPoll((device) => this.pollOnDemand(device)));
    this.halt.signal.addEventListener('abort', () => this.untie.splice(0).forEach((untie) => untie()), { once: true });
    this.scheduler.start(this.halt.signal);
    this.bus.start(this.halt.signal);
    this.commandLoop = this.runCommands();
    await firstAttempt;
  }

  async stop(): Promise<void> {
    this.halt.abort();
    for (const p of this.polls.values()) p.pause();
    await Promise.all([this.bus.stop(), this.scheduler.stop()]);
    await this.commandLoop;
  }

  private onState(s: BusStateChange): void {
    const log = this.ctx.logger;
    if (s.state === 'connected') {
      this.counters.connections += 1;
      log.info(`bus connected: ${this.bus.name}`);
      // Every point read once now (values at start, and what changed while away), then each at
      // its own rhythm: without it a 60 s energy register is unknown for up to a minute.
      for (const p of this.polls.values()) {
        p.resume();
        p.pollNow();
      }
    } else if (s.state === 'disconnected') {
      log.warn(`bus ${this.bus.name} not connected: ${s.reason}; retrying in ${((s.retryInMs ?? 0) / 1000).toFixed(1)} s (the gateway goes on)`);
      for (const p of this.polls.values()) p.pause();
      for (const name of this.declared) this.setAvailable(name, false, `bus ${this.bus.name} not connected: ${s.reason}`);
    } else if (s.state === 'stopped') {
      for (const p of this.polls.values()) p.pause();
    }
  }

  private setAvailable(device: string, available: boolean, reason?: string): void {
    if (!this.declared.has(device) || this.halt.signal.aborted) return;
    this.ctx.devices.setAvailable(device, available, reason);
  }

  /** Items sharing an interval spread over it (golden-ratio steps: even for any number of items). */
  private nextOffset(intervalMs: number): number {
    const k = this.offsets.get(intervalMs) ?? 0;
    this.offsets.set(intervalMs, k + 1);
    return Math.floor(((k * 0.6180339887) % 1) * intervalMs);
  }

  private pollOnDemand(device: string | undefined): void {
    let queued = 0;
    for (const [name, p] of this.polls) if (device === undefined || device === name) queued += p.pollNow();
    this.ctx.logger.debug(`poll on demand for ${device ?? 'every device'}: ${queued} reads queued`);
  }

  /** One request on the bus, counted. */
  private async request(r: ModbusRequest, signal?: AbortSignal): Promise<ReadResult | undefined> {
    try {
      const result = await this.bus.request(r, signal);
      if (r.kind === 'write') this.counters.writes += 1;
      else {
        this.counters.reads += 1;
        if (r.fc <= 2) this.counters.bitsRead += r.count;
        else this.counters.registersRead += r.count;
      }
      return result;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'MODBUS_EXCEPTION') this.counters.exceptions += 1;
      if (code === 'MODBUS_TIMEOUT') this.counters.timeouts += 1;
      throw err;
    }
  }

  /** Values of one read as statuses: the points of one action in one status. */
  private publish(unit: ModbusUnit, values: Map<ModbusPoint, JsonValue | Error>): void {
    const o = this.ctx.options;
    const byAction = new Map<string, Record<string, JsonValue>>();
    for (const [point, value] of values) {
      if (value instanceof Error) {
        this.ctx.logger.warn(`${unit.name}: ${point.id} could not be read: ${value.message}`);
        continue;
      }
      const args = byAction.get(point.action) ?? {};
      args[point.argument] = value;
      byAction.set(point.action, args);
    }
    for (const [action, args] of byAction) {
      this.counters.statuses += 1;
      this.statusQueue.push(new InternalMessage({ isCmd: false, function: o.function, location: o.location, device: unit.name, action, arguments: args }));
    }
  }

  private async runCommands(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.halt.signal)) {
      if (!msg.isCmd) continue;
      const target = this.addressed(msg);
      if (target === undefined) {
        this.counters.ignored += 1;
        if (this.ctx.logger.isLevelEnabled('debug')) this.ctx.logger.debug(`not for these devices, ignored: ${msg.toString()}`);
        continue;
      }
      this.counters.commands += 1;
      // A throw (a bug, an encoder refusing what the check let through) is this command's ERROR
      // reply, not the end of command handling.
      const outcome: CommandOutcome =
        typeof target === 'string'
          ? { ok: false, reason: target }
          : await runCommand(target, msg.action, msg.arguments, {
              request: (r) => this.request(r, this.halt.signal),
              publish: (u, values) => this.publish(u, values),
              timeoutMs: this.ctx.options.timeout,
              retries: this.ctx.options.retries,
            }).catch((err: unknown): CommandOutcome => ({ ok: false, reason: 'the command failed in the gateway', log: errorMessage(err) }));
      if (outcome.log) this.ctx.logger.error(`${msg.action} for ${typeof target === 'string' ? '?' : target.name} failed: ${outcome.log}`);
      if (outcome.ok) this.counters.ok += 1;
      else this.counters.errors += 1;
      const reply = msg.reply(outcome.ok ? 'OK' : 'ERROR', outcome.reason);
      if (outcome.value !== undefined) reply.arguments.value = outcome.value;
      this.ctx.outgoing.push(reply);
    }
  }

  /**
   * The unit a command is for: its device is a unit's name (ignoring case), or empty and only
   * one unit has the action. Undefined when it is for another gateway; a string (the ERROR
   * reason) when it is ours but cannot be given to one unit.
   */
  private addressed(msg: InternalMessage): ModbusUnit | string | undefined {
    const o = this.ctx.options;
    const same = (mine: string, theirs: string) => mine === '' || theirs === '' || mine.toLowerCase() === theirs.toLowerCase();
    if (!same(o.function, msg.function) || !same(o.location, msg.location)) return undefined;
    if (msg.device !== '') return this.units.find((u) => u.name === msg.device.toLowerCase());
    const action = msg.action.toUpperCase();
    const able = this.units.filter((u) => u.compiled.commands.has(action));
    if (able.length === 1) return able[0];
    if (able.length === 0) return `unknown action "${msg.action}" (no device of this bus has it)`;
    return `several devices have ${action} (${able.map((u) => u.name).join(', ')}): address one of them`;
  }
}
