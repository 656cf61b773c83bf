import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Throttle } from '@mg/throttled-error';
import { formatAddress, parseAddress } from './address.js';
import { ask, type AskLink, type AskOptions, type AskResult } from './ask.js';
import { newLink, type Link } from './channel.js';
import { DeviceConnectionError, DeviceNotConnectedError, DeviceStoppedError, messageOf } from './errors.js';
import type { LineTransportEvents, StateChange, TransportState } from './events.js';
import { Framer, type OverflowInfo } from './framer.js';
import { fullLogger, printable } from './logger.js';
import type { LineTransportOptions, RequestOptions } from './options.js';
import { RequestMatcher } from './request-matcher.js';
import { SafeEmitter } from './safe-emitter.js';
import { transportSettings, type TransportSettings } from './transport-settings.js';
import { WriteQueue } from './write-queue.js';

/**
 * A line-oriented link to one device over TCP or a serial port: it connects by itself and
 * reconnects with growing delays, cuts what comes in into lines, spaces what goes out, and
 * matches answers to requests. Nothing it does throws or emits an unhandled 'error' once
 * constructed: connection trouble is a `disconnected` state change, a failed write a rejected
 * promise.
 */
export class LineTransport extends SafeEmitter<LineTransportEvents> {
  /** The address as written in messages (`tcp://host:port` or the device path). */
  readonly address: string;
  private readonly settings: TransportSettings;
  private readonly framer: Framer;
  private readonly queue: WriteQueue;
  private readonly matcher = new RequestMatcher();
  // One throttle per instance: a storm on one device never mutes another.
  private readonly unheardOverflows = new Throttle({ kind: 'over-long line' });
  private readonly unstable = new Throttle({ kind: 'short-lived connection' });
  private readonly halt = new AbortController();
  private readonly asker: AskLink;
  private current: TransportState = 'idle';
  private attempt: AbortController | undefined;
  private opening: Promise<void> | undefined;
  private link: Link | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private connectedAt = 0;
  private failures = 0;
  private lastFailure: DeviceConnectionError | undefined;
  private stopping: Promise<void> | undefined;
  private unlinkSignal: (() => void) | undefined;

  constructor(options: LineTransportOptions) {
    const address = parseAddress(options.address);
    super(options.name ?? formatAddress(address), fullLogger(options.logger));
    this.address = formatAddress(address);
    this.settings = transportSettings(options, address);
    this.framer = new Framer(options.framing ?? {}, this.settings.encoding, { frame: (b) => this.onFrame(b), overflow: (o) => this.onOverflow(o) });
    this.queue = new WriteQueue((bytes) => this.writeNow(bytes), { spacingMs: options.spacingMs, maxQueued: options.maxQueuedWrites, name: this.name });
    // Each ask() waiting between busy answers listens to it: as many as the write queue holds, not a leak.
    setMaxListeners(0, this.halt.signal);
    this.asker = {
      name: this.name,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      halted: this.halt.signal,
      exchange: (command, request, written) => this.exchange(command, request, written),
      text: (command) => this.text(command),
    };
  }

  get state(): TransportState {
    return this.current;
  }

  /** Writes waiting for their turn. */
  get queuedWrites(): number {
    return this.queue.size;
  }

  /** Requests written and waiting for their answer. */
  get pendingRequests(): number {
    return this.matcher.size;
  }

  /**
   * Starts connecting and returns at once; from then on the connection comes and goes by itself
   * until stop() (or until `signal` aborts). Calling it again does nothing; after stop() it throws.
   */
  start(signal?: AbortSignal): this {
    if (this.current === 'stopped') throw new DeviceStoppedError(`${this.name} was stopped: create a new transport to connect again`);
    if (this.current !== 'idle') return this;
    if (signal?.aborted) {
      void this.stop();
      return this;
    }
    if (signal) {
      const onAbort = () => void this.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      this.unlinkSignal = () => signal.removeEventListener('abort', onAbort);
    }
    this.setState({ state: 'connecting', address: this.address });
    // A 'connecting' listener may have stopped it already.
    if (!this.stopping) this.connect();
    return this;
  }

  /**
   * Stops for good: no more attempts, waiting writes and requests rejected (DeviceStoppedError),
   * the socket or port closed. Resolves once it is closed. Safe to call twice.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    this.unlinkSignal?.();
    this.halt.abort();
    clearTimeout(this.retryTimer);
    clearTimeout(this.settleTimer);
    this.attempt?.abort();
    this.attempt = undefined;
    const message = `${this.name} was stopped before the write or answer`;
    const unsent = new DeviceStoppedError(message, { reason: 'the gateway closed the connection to the device before the command was sent' });
    const link = this.link;
    const opening = this.opening;
    this.link = undefined;
    link?.cut(unsent);
    this.queue.clear(unsent);
    this.matcher.rejectAll(new DeviceStoppedError(message, { reason: 'the gateway closed the connection to the device before it answered' }));
    this.stopping = (async () => {
      await link?.channel.close();
      await opening;
    })();
    this.setState({ state: 'stopped', address: this.address });
    return this.stopping;
  }

  /**
   * Sends a command, followed by the send terminator, after the writes already queued and at
   * least `spacingMs` after the previous one. Resolves once written. Rejects at once when not
   * connected (DeviceNotConnectedError: nothing is kept for later) or when the queue is full
   * (WriteQueueFullError); a write still queued when the connection drops is rejected too.
   */
  write(command: string | Uint8Array): Promise<void> {
    return this.observed(this.send(command, undefined), command);
  }

  /**
   * Sends a command and resolves with the first line that `match` accepts, or rejects with a
   * RequestTimeoutError when none came within `timeoutMs` of the write (time spent queued does
   * not count). The answer is taken from the `line` event unless `consume` is false; other
   * lines go there as usual. Rejects like write() when the command cannot be sent.
   */
  request(command: string | Uint8Array, options: RequestOptions): Promise<string> {
    return this.observed(this.exchange(command, options, undefined), command);
  }

  /**
   * Sends a command and sorts its answer with `options` (acceptance, refusal with the device's
   * words, busy: sent again a few times), resolving with an AskResult for every outcome on the
   * device's side: timeout, not connected, connection lost and stop included. Rejects only for
   * options that cannot work (DeviceOptionError) and with the reason of `signal` when it aborts.
   */
  ask(command: string | Uint8Array, options: AskOptions): Promise<AskResult> {
    return this.observed(ask(this.asker, command, options), command);
  }

  private exchange(command: string | Uint8Array, options: RequestOptions, written: (() => void) | undefined): Promise<string> {
    const what = `${this.name} to "${printable(this.text(command))}"`;
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs;
    const wait = { match: options.match, timeoutMs, consume: options.consume ?? true, what, signal: options.signal, written };
    return this.matcher.request((beforeWrite, signal) => this.send(command, beforeWrite, signal), wait);
  }

  /**
   * A command sent and forgotten (`void device.write('PWON')`) that fails must not become an
   * unhandled rejection, which ends the process: the failure is logged at DEBUG instead. The
   * caller that awaits still gets it.
   */
  private observed<T>(result: Promise<T>, command: string | Uint8Array): Promise<T> {
    result.catch((err: unknown) => this.log.debug(`${this.name}: "${printable(this.text(command))}" failed: ${messageOf(err)}`));
    return result;
  }

  private send(command: string | Uint8Array, beforeWrite: (() => void) | undefined, signal?: AbortSignal): Promise<void> {
    const shown = () => printable(this.text(command));
    if (this.current === 'stopped') return Promise.reject(new DeviceStoppedError(`cannot send "${shown()}" to ${this.name}: the transport is stopped`));
    // Not the state: a connection still settling (see connect()) carries commands already.
    if (!this.link) {
      const why = this.lastFailure ? ` (${this.lastFailure.message})` : '';
      return Promise.reject(
        new DeviceNotConnectedError(
          `cannot send "${shown()}" to ${this.name}: not connected${why}; commands are not kept for later, send them on the 'connected' state`,
        ),
      );
    }
    const body = typeof command === 'string' ? Buffer.from(command, this.settings.encoding) : Buffer.from(command);
    return this.queue.enqueue(this.settings.sendTerminator.length ? Buffer.concat([body, this.settings.sendTerminator]) : body, beforeWrite, signal);
  }

  private text(command: string | Uint8Array): string {
    return typeof command === 'string' ? command : Buffer.from(command).toString(this.settings.encoding);
  }

  private writeNow(bytes: Buffer): Promise<void> {
    const link = this.link;
    if (!link) return Promise.reject(new DeviceNotConnectedError(`cannot write to ${this.name}: the connection is gone`, { reason: LOST_UNSENT }));
    return Promise.race([link.channel.write(bytes), link.gone]);
  }

  private connect(): void {
    this.retryTimer = undefined;
    const attempt = new AbortController();
    this.attempt = attempt;
    // A partial line from the previous connection will never be completed.
    this.framer.reset();
    this.log.debug(`${this.name}: connecting (attempt ${this.failures + 1})`);
    const handlers = {
      data: (chunk: Buffer) => {
        if (this.attempt === attempt) this.framer.push(chunk);
      },
      lost: (reason: DeviceConnectionError) => {
        if (this.attempt === attempt) this.onLost(reason);
      },
    };
    this.opening = this.settings.opener(handlers, attempt.signal).then(
      (channel) => {
        // Stopped while the attempt was under way.
        if (this.attempt !== attempt) return channel.close();
        this.link = newLink(channel);
        this.connectedAt = performance.now();
        // Announced once it has lasted settleMs: a device that accepts and hangs up at once
        // (its one client slot taken) makes no connected/disconnected flap, only a retry.
        if (this.settings.settleMs === 0) this.announce();
        else this.settleTimer = setTimeout(() => this.announce(), this.settings.settleMs);
      },
      (reason: unknown) => {
        if (this.attempt === attempt) this.onFailure(asConnectionError(reason, this.name));
      },
    );
  }

  private announce(): void {
    this.settleTimer = undefined;
    this.failures = 0;
    this.lastFailure = undefined;
    this.unstable.reset();
    this.setState({ state: 'connected', address: this.address });
  }

  private onLost(reason: DeviceConnectionError): void {
    const message = `connection to ${this.name} lost before the write or answer: ${reason.message}`;
    const unsent = new DeviceNotConnectedError(message, { cause: reason, reason: LOST_UNSENT });
    this.link?.cut(unsent);
    this.link = undefined;
    this.queue.clear(unsent);
    this.matcher.rejectAll(new DeviceNotConnectedError(message, { cause: reason, reason: 'the connection to the device was lost before it answered' }));
    const lasted = Math.round(performance.now() - this.connectedAt);
    // A connection that did not last keeps the delays growing (a device that hangs up at once).
    if (lasted >= this.settings.stableMs) this.settings.backoff.reset();
    if (this.current === 'connected') return this.onFailure(reason);
    // Never announced: a failed attempt like a refused one, logged once in a while.
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    const hint = this.address.startsWith('tcp://') ? ' (does another program hold its only connection?)' : '';
    const v = this.unstable.hit(`${this.name}: the device closed the connection ${lasted} ms after it opened${hint}; trying again with growing delays`);
    if (v.trigger) this.log.warn(v.report);
    this.onFailure(new DeviceConnectionError(`${reason.message} ${lasted} ms after it opened`, reason.reason, { cause: reason }));
  }

  private onFailure(reason: DeviceConnectionError): void {
    this.failures += 1;
    this.lastFailure = reason;
    const delay = this.settings.backoff.next();
    if (this.current !== 'disconnected') {
      this.setState({ state: 'disconnected', address: this.address, reason: reason.message, error: reason, retryInMs: delay });
    }
    this.safeEmit('retry', { attempt: this.failures, reason: reason.message, error: reason, retryInMs: delay });
    // A listener may have stopped the transport.
    if (this.current !== 'disconnected') return;
    this.log.debug(`${this.name}: ${reason.message}; next attempt in ${delay} ms`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private onFrame(bytes: Buffer): void {
    // A listener may have stopped the transport while the rest of a read is being cut.
    if (this.stopping) return;
    const line = bytes.toString(this.settings.encoding);
    if (this.matcher.size > 0 && this.matcher.offer(line)) return;
    this.safeEmit('line', line, bytes);
  }

  private onOverflow(info: OverflowInfo): void {
    if (this.listenerCount('overflow') > 0) return this.safeEmit('overflow', info);
    const v = this.unheardOverflows.hit(`${this.name}: dropped a line longer than ${info.maxLineBytes} bytes, which began "${printable(info.head)}"`);
    if (v.trigger) this.log.warn(v.report);
  }

  private setState(change: StateChange): void {
    this.current = change.state;
    const words = change.state === 'disconnected' ? `disconnected: ${change.reason}; retrying in ${(change.retryInMs / 1000).toFixed(1)} s` : change.state;
    if (this.listenerCount('state') > 0) {
      this.log.debug(`${this.name}: ${words}`);
      this.safeEmit('state', change);
    } else if (change.state === 'disconnected') {
      this.log.warn(`${this.name}: ${words}`);
    } else {
      this.log.info(`${this.name}: ${words}`);
    }
  }
}

const LOST_UNSENT = 'the connection to the device was lost before the command was sent';

function asConnectionError(reason: unknown, name: string): DeviceConnectionError {
  return reason instanceof DeviceConnectionError
    ? reason
    : new DeviceConnectionError(`cannot connect to ${name}: ${messageOf(reason)}`, 'error', { cause: reason });
}
