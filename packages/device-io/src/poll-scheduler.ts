import { Backoff } from '@mg/backoff';
import { Throttle } from '@mg/throttled-error';
import { DeviceHealth } from './device-health.js';
import { DeviceOptionError, DeviceStoppedError, isDeviceIoError, messageOf, PollTimeoutError } from './errors.js';
import { RecentSample } from './lateness.js';
import { duration, fullLogger } from './logger.js';
import { PollBus, type Choice, type Entry, type Flight } from './poll-bus.js';
import { checkItem, ownCopy } from './poll-item.js';
import {
  DEFAULT_POLL_BACKOFF,
  DEFAULT_POLL_TIMEOUT_MS,
  realClock,
  type PollClock,
  type PollCounters,
  type PollItem,
  type PollSchedulerEvents,
  type PollSchedulerOptions,
} from './poll-types.js';
import { SafeEmitter } from './safe-emitter.js';

type Outcome = { ok: true } | { ok: false; error: unknown; timedOut: boolean };

/**
 * Polls items of devices, each at its own interval: one poll at a time per bus, in order of due
 * time, different buses at once. A poll that fails or times out backs its device off alone (its
 * items are skipped, with growing delays), so the other devices on the bus keep their rate.
 * Nothing it does throws once constructed, apart from add() and start() misused.
 */
export class PollScheduler extends SafeEmitter<PollSchedulerEvents> {
  readonly timeoutMs: number;
  private readonly backoffRange: { minMs: number; maxMs: number };
  private readonly random: () => number;
  private readonly clock: PollClock;
  private readonly buses = new Map<string, PollBus>();
  private readonly devices = new Map<string, DeviceHealth>();
  private readonly keys = new Set<string>();
  private readonly lateness = new RecentSample();
  private readonly totals = { polls: 0, failures: 0, timeouts: 0, skipped: 0, late: 0 };
  // Per bus: a disconnected transport fails every poll on it until it is back.
  private readonly busDown = new Map<string, Throttle>();
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  // Orders pollNow() requests and failures: a request made before a device failed is not tried again.
  private stamp = 0;
  private stopping: Promise<void> | undefined;
  private unlinkSignal: (() => void) | undefined;

  constructor(options: PollSchedulerOptions = {}) {
    super(options.name ?? 'poll scheduler', fullLogger(options.logger));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    if (!(this.timeoutMs > 0) || !Number.isFinite(this.timeoutMs)) {
      throw new DeviceOptionError(`timeoutMs must be a number of milliseconds > 0, got ${String(options.timeoutMs)}`);
    }
    this.backoffRange = options.backoff ?? DEFAULT_POLL_BACKOFF;
    try {
      new Backoff(this.backoffRange);
    } catch (cause) {
      throw new DeviceOptionError(`poll backoff: ${messageOf(cause)}`, { cause });
    }
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? realClock;
  }

  /** A snapshot of what it did so far. */
  get counters(): PollCounters {
    return { ...this.totals, latenessP99Ms: Math.round(this.lateness.percentile(99) * 10) / 10 };
  }

  /**
   * Schedules an item on a bus (created on first use); its first poll is due at once (plus its
   * offset and jitter) once started. Returns a function that removes it (aborting its poll under way).
   * Throws DeviceOptionError for an item that cannot work or is there already, DeviceStoppedError after stop().
   */
  add(bus: string, item: PollItem): () => void {
    if (this.state === 'stopped') throw new DeviceStoppedError(`cannot add ${item.device} ${item.id} to ${this.name}: it was stopped`);
    checkItem(item);
    const key = `${item.device}\u0000${item.id}`;
    if (this.keys.has(key)) throw new DeviceOptionError(`${this.name} polls ${item.device} ${item.id} already: remove it first`);
    this.keys.add(key);
    let health = this.devices.get(item.device);
    if (!health) {
      health = new DeviceHealth(this.backoffRange, this.random, () => this.clock.now());
      this.devices.set(item.device, health);
    }
    health.items += 1;
    let b = this.buses.get(bus);
    if (!b) {
      b = new PollBus(bus, this.random);
      this.buses.set(bus, b);
    }
    const entry: Entry = { item: ownCopy(item), health, slot: 0, due: 0, requested: false, requestedStamp: 0, removed: false };
    b.entries.push(entry);
    if (this.state === 'running') {
      b.place(entry, this.clock.now());
      this.kick(b);
    }
    const owner = b;
    return () => this.remove(owner, entry, key);
  }

  /**
   * Starts polling and returns at once; aborting `signal` stops it. Calling it again does
   * nothing; after stop() it throws DeviceStoppedError.
   */
  start(signal?: AbortSignal): void {
    if (this.state === 'stopped') throw new DeviceStoppedError(`${this.name} was stopped: create a new scheduler to poll again`);
    if (this.state === 'running') return;
    if (signal?.aborted) {
      void this.stop();
      return;
    }
    if (signal) {
      const onAbort = () => void this.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      this.unlinkSignal = () => signal.removeEventListener('abort', onAbort);
    }
    this.state = 'running';
    const now = this.clock.now();
    for (const bus of this.buses.values()) {
      for (const entry of bus.entries) bus.place(entry, now);
      this.kick(bus);
    }
  }

  /**
   * Stops for good: no more polls, the polls under way aborted (DeviceStoppedError as the
   * reason), the timers cleared. Resolves once those polls have ended, or timeoutMs later for a
   * poll that ignores its signal. Safe to call twice.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.state = 'stopped';
    this.unlinkSignal?.();
    const ending: Promise<void>[] = [];
    for (const bus of this.buses.values()) {
      this.clearTimer(bus);
      const flight = bus.inFlight;
      if (flight) {
        ending.push(flight.settled);
        this.cancel(
          bus,
          flight,
          new DeviceStoppedError(`${this.name} was stopped during the poll of ${flight.entry.item.device} ${flight.entry.item.id}`, {
            reason: 'the gateway stopped polling the device',
          }),
        );
      }
    }
    this.stopping = ending.length === 0 ? Promise.resolve() : this.atMostTimeout(Promise.all(ending));
    return this.stopping;
  }

  /**
   * Queues a poll of every item of `device` (every item when undefined), ahead of the due ones,
   * each bus in turn; a backed-off device is tried too (someone asking is a reason to try),
   * and once its first poll fails, its other items asked are skipped. The items keep their schedule. Returns how many items are queued: 0 for an unknown device
   * or after stop(). Before start(), they are polled first when it starts.
   */
  pollNow(device?: string): number {
    if (this.state === 'stopped') return 0;
    let queued = 0;
    const stamp = ++this.stamp;
    for (const bus of this.buses.values()) {
      const before = queued;
      for (const entry of bus.entries) {
        if (device !== undefined && entry.item.device !== device) continue;
        bus.request(entry, stamp);
        queued += 1;
      }
      if (queued > before) this.kick(bus);
    }
    return queued;
  }

  private remove(bus: PollBus, entry: Entry, key: string): void {
    if (entry.removed) return;
    entry.removed = true;
    bus.remove(entry);
    this.keys.delete(key);
    entry.health.items -= 1;
    if (entry.health.items === 0) this.devices.delete(entry.item.device);
    const flight = bus.inFlight;
    if (flight?.entry === entry) {
      this.cancel(
        bus,
        flight,
        new DeviceStoppedError(`${entry.item.device} ${entry.item.id} was removed from ${this.name} during its poll`, { reason: 'the poll was withdrawn' }),
      );
    }
    if (bus.entries.length === 0) {
      this.clearTimer(bus);
      this.buses.delete(bus.name);
      this.busDown.delete(bus.name);
    } else {
      this.kick(bus);
    }
  }

  /** Starts the next poll of an idle bus, or sets its timer for when one falls due. */
  private kick(bus: PollBus): void {
    if (this.state !== 'running' || bus.inFlight) return;
    this.clearTimer(bus);
    const now = this.clock.now();
    const choice = bus.next(now, this.timeoutMs, (_, slots) => (this.totals.skipped += slots));
    if ('entry' in choice) return this.run(bus, choice, now);
    if (choice.wakeAt === Number.POSITIVE_INFINITY) return;
    // A timer may wake a fraction of a millisecond early: next() then finds nothing due and sets another.
    bus.timer = this.clock.setTimeout(
      () => {
        bus.timer = undefined;
        this.kick(bus);
      },
      Math.max(0, Math.ceil(choice.wakeAt - now)),
    );
  }

  private run(bus: PollBus, choice: Extract<Choice, { entry: Entry }>, started: number): void {
    const { entry, kind, lateMs } = choice;
    const { item } = entry;
    // Lateness is the schedule's: a probe of a backed-off device waits for a gap on purpose.
    if (kind === 'due') {
      this.lateness.add(lateMs);
      if (lateMs > item.intervalMs / 10) this.totals.late += 1;
    }
    const controller = new AbortController();
    const flight: Flight = { entry, controller, timer: undefined, settled: Promise.resolve() };
    bus.inFlight = flight;
    const report = (outcome: Outcome) => this.finish(bus, flight, outcome, { kind, lateMs, started });
    flight.timer = this.clock.setTimeout(() => {
      const error = new PollTimeoutError(`no end of the poll of ${item.device} ${item.id} on ${bus.name} within ${this.timeoutMs} ms`, {
        reason: `the device did not answer within ${duration(this.timeoutMs)}`,
      });
      controller.abort(error);
      report({ ok: false, error, timedOut: true });
    }, this.timeoutMs);
    let result: Promise<void>;
    try {
      result = Promise.resolve(item.poll(controller.signal));
    } catch (err) {
      result = Promise.reject(err);
    }
    flight.settled = result.then(
      () => report({ ok: true }),
      (error: unknown) => report({ ok: false, error, timedOut: isDeviceIoError(error, 'DEVICE_IO_TIMEOUT') || error instanceof PollTimeoutError }),
    );
  }

  /** Counts and reports a poll's end (once: the timeout and the poll's own end race), then goes on. */
  private finish(bus: PollBus, flight: Flight, outcome: Outcome, at: { kind: string; lateMs: number; started: number }): void {
    if (bus.inFlight !== flight) return;
    bus.inFlight = undefined;
    this.clock.clearTimeout(flight.timer);
    const now = this.clock.now();
    const { item, health } = flight.entry;
    this.totals.polls += 1;
    if (!outcome.ok) this.totals[outcome.timedOut ? 'timeouts' : 'failures'] += 1;
    const requested = at.kind === 'requested';
    this.safeEmit('poll', {
      bus: bus.name,
      device: item.device,
      id: item.id,
      ok: outcome.ok,
      ms: now - at.started,
      lateMs: requested ? 0 : at.lateMs,
      timedOut: !outcome.ok && outcome.timedOut,
      requested,
      ...(outcome.ok ? {} : { error: outcome.error }),
    });
    if (outcome.ok) {
      if (health.backedOff) this.recovered(item.device, health);
    } else if (isDeviceIoError(outcome.error, 'DEVICE_IO_NOT_CONNECTED') || isDeviceIoError(outcome.error, 'DEVICE_IO_STOPPED')) {
      // The line is down, not the device: backing it off would leave it unpolled for a while
      // once the line is back, and a poll on a disconnected transport costs nothing.
      this.lineDown(bus, item, outcome.error);
    } else {
      this.backOff(item, health, outcome.error, now);
    }
    this.kick(bus);
  }

  private backOff(item: PollItem, health: DeviceHealth, error: unknown, now: number): void {
    const delayMs = health.fail(now, ++this.stamp);
    const reason = messageOf(error);
    const v = health.log.hit(`${this.name}: the poll of ${item.device} ${item.id} failed (${reason}); its polls are skipped for ${delayMs} ms`);
    if (v.trigger) this.log.warn(v.report);
    this.safeEmit('backoff', { device: item.device, delayMs, reason, failures: health.failures });
  }

  private recovered(device: string, health: DeviceHealth): void {
    const failures = health.recover();
    this.log.info(`${this.name}: ${device} answers again, after ${failures} failed poll${failures === 1 ? '' : 's'}`);
    this.safeEmit('recovered', { device, failures });
  }

  private lineDown(bus: PollBus, item: PollItem, error: unknown): void {
    let throttle = this.busDown.get(bus.name);
    if (!throttle) {
      throttle = new Throttle({ clock: () => this.clock.now(), kind: 'poll' });
      this.busDown.set(bus.name, throttle);
    }
    const v = throttle.hit(`${this.name}: cannot poll ${item.device} ${item.id} on ${bus.name}: ${messageOf(error)}`);
    if (v.trigger) this.log.debug(v.report);
  }

  /** Ends a poll without counting it (stop, removal): the bus is free at once. */
  private cancel(bus: PollBus, flight: Flight, reason: DeviceStoppedError): void {
    bus.inFlight = undefined;
    this.clock.clearTimeout(flight.timer);
    flight.controller.abort(reason);
  }

  private clearTimer(bus: PollBus): void {
    if (bus.timer === undefined) return;
    this.clock.clearTimeout(bus.timer);
    bus.timer = undefined;
  }

  private atMostTimeout(ending: Promise<unknown>): Promise<void> {
    let timer: unknown;
    const late = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, this.timeoutMs)));
    return Promise.race([ending.then(() => undefined), late]).finally(() => this.clock.clearTimeout(timer));
  }
}
