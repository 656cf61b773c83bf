import { performance } from 'node:perf_hooks';
import { Backoff } from '@mg/backoff';
import { Throttle } from '@mg/throttled-error';
import { formatAddress, parseAddress } from './address.js';
import { newLink, type ChannelOpener, type Link } from './channel.js';
import { DeviceConnectionError, DeviceNotConnectedError, DeviceOptionError, DeviceStoppedError, messageOf } from './errors.js';
import type { LineTransportEvents, StateChange, TransportState } from './events.js';
import { DEFAULT_TERMINATORS, Framer, type DeviceEncoding, type OverflowInfo } from './framer.js';
import { fullLogger, printable } from './logger.js';
import { DEFAULT_RECONNECT_MAX_MS, DEFAULT_RECONNECT_MIN_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_STABLE_MS } from './options.js';
import type { LineTransportOptions, RequestOptions } from './options.js';
import { RequestMatcher } from './request-matcher.js';
import { SafeEmitter } from './safe-emitter.js';
import { loadSerialport, serialOpener } from './serial-transport.js';
import { tcpOpener } from './tcp-transport.js';
import { WriteQueue } from './write-queue.js';

const ENCODINGS: readonly DeviceEncoding[] = ['latin1', 'ascii', 'utf8'];

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
  private readonly opener: ChannelOpener;
  private readonly encoding: DeviceEncoding;
  private readonly sendTerminator: Buffer;
  private readonly requestTimeoutMs: number;
  private readonly stableMs: number;
  private readonly framer: Framer;
  private readonly queue: WriteQueue;
  private readonly matcher = new RequestMatcher();
  private readonly backoff: Backoff;
  // One throttle per instance: a storm on one device never mutes another.
  private readonly unheardOverflows = new Throttle({ kind: 'over-long line' });
  private current: TransportState = 'idle';
  private attempt: AbortController | undefined;
  private opening: Promise<void> | undefined;
  private link: Link | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectedAt = 0;
  private failures = 0;
  private lastFailure: DeviceConnectionError | undefined;
  private stopping: Promise<void> | undefined;
  private unlinkSignal: (() => void) | undefined;

  constructor(options: LineTransportOptions) {
    const address = parseAddress(options.address);
    super(options.name ?? formatAddress(address), fullLogger(options.logger));
    this.address = formatAddress(address);
    this.encoding = options.encoding ?? 'latin1';
    if (!ENCODINGS.includes(this.encoding)) throw new DeviceOptionError(`encoding must be latin1, ascii or utf8, got ${String(options.encoding)}`);
    const framing = options.framing ?? {};
    this.framer = new Framer(framing, this.encoding, { frame: (bytes) => this.onFrame(bytes), overflow: (info) => this.onOverflow(info) });
    const terminator = 'length' in framing ? '' : typeof framing.terminator === 'string' ? framing.terminator : (framing.terminator ?? DEFAULT_TERMINATORS)[0]!;
    this.sendTerminator = Buffer.from(options.sendTerminator ?? terminator, this.encoding);
    this.queue = new WriteQueue((bytes) => this.writeNow(bytes), { spacingMs: options.spacingMs, maxQueued: options.maxQueuedWrites, name: this.name });
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(this.requestTimeoutMs > 0) || !Number.isFinite(this.requestTimeoutMs)) {
      throw new DeviceOptionError(`requestTimeoutMs must be a number of milliseconds > 0, got ${String(options.requestTimeoutMs)}`);
    }
    const r = options.reconnect ?? {};
    try {
      this.backoff = new Backoff({ minMs: r.minMs ?? DEFAULT_RECONNECT_MIN_MS, maxMs: r.maxMs ?? DEFAULT_RECONNECT_MAX_MS, random: r.random });
    } catch (cause) {
      throw new DeviceOptionError(`reconnect delays: ${messageOf(cause)}`, { cause });
    }
    this.stableMs = r.stableMs ?? DEFAULT_STABLE_MS;
    if (!(this.stableMs >= 0)) throw new DeviceOptionError(`reconnect.stableMs must be a number of milliseconds >= 0, got ${String(r.stableMs)}`);
    // Loaded here, not at import: TCP-only users need not install serialport.
    this.opener =
      address.kind === 'tcp' ? tcpOpener(address.host, address.port, options.tcp) : serialOpener(address.path, options.serial ?? {}, loadSerialport());
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
    clearTimeout(this.retryTimer);
    this.attempt?.abort();
    this.attempt = undefined;
    const err = new DeviceStoppedError(`${this.name} was stopped before the write or answer`);
    const link = this.link;
    const opening = this.opening;
    this.link = undefined;
    link?.cut(err);
    this.queue.clear(err);
    this.matcher.rejectAll(err);
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
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      return Promise.reject(new DeviceOptionError(`request timeoutMs must be a number of milliseconds > 0, got ${String(options.timeoutMs)}`));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    const what = `${this.name} to "${printable(this.text(command))}"`;
    let unlink: (() => void) | undefined;
    const answer = new Promise<string>((resolve, reject) => {
      let withdraw: ((err: unknown) => void) | undefined;
      const arm = () => (withdraw = this.matcher.add({ match: options.match, timeoutMs, consume: options.consume ?? true, what, resolve, reject }));
      // Before the write, the queue drops the command and rejects; after it, the waiter goes.
      if (signal) {
        const onAbort = () => withdraw?.(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        unlink = () => signal.removeEventListener('abort', onAbort);
      }
      this.send(command, arm, signal).catch((err: unknown) => (withdraw ? withdraw(err) : reject(err)));
    });
    return this.observed(unlink ? answer.finally(unlink) : answer, command);
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
    if (this.current !== 'connected') {
      const why = this.lastFailure ? ` (${this.lastFailure.message})` : '';
      return Promise.reject(
        new DeviceNotConnectedError(
          `cannot send "${shown()}" to ${this.name}: not connected${why}; commands are not kept for later, send them on the 'connected' state`,
        ),
      );
    }
    const body = typeof command === 'string' ? Buffer.from(command, this.encoding) : Buffer.from(command);
    return this.queue.enqueue(this.sendTerminator.length ? Buffer.concat([body, this.sendTerminator]) : body, beforeWrite, signal);
  }

  private text(command: string | Uint8Array): string {
    return typeof command === 'string' ? command : Buffer.from(command).toString(this.encoding);
  }

  private writeNow(bytes: Buffer): Promise<void> {
    const link = this.link;
    if (!link) return Promise.reject(new DeviceNotConnectedError(`cannot write to ${this.name}: the connection is gone`));
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
    this.opening = this.opener(handlers, attempt.signal).then(
      (channel) => {
        // Stopped while the attempt was under way.
        if (this.attempt !== attempt) return channel.close();
        this.link = newLink(channel);
        this.connectedAt = performance.now();
        this.failures = 0;
        this.lastFailure = undefined;
        this.setState({ state: 'connected', address: this.address });
      },
      (reason: unknown) => {
        if (this.attempt === attempt) this.onFailure(asConnectionError(reason, this.name));
      },
    );
  }

  private onLost(reason: DeviceConnectionError): void {
    const err = new DeviceNotConnectedError(`connection to ${this.name} lost before the write or answer: ${reason.message}`, { cause: reason });
    this.link?.cut(err);
    this.link = undefined;
    this.queue.clear(err);
    this.matcher.rejectAll(err);
    // A connection that did not last keeps the delays growing (a device that hangs up at once).
    if (performance.now() - this.connectedAt >= this.stableMs) this.backoff.reset();
    this.onFailure(reason);
  }

  private onFailure(reason: DeviceConnectionError): void {
    this.failures += 1;
    this.lastFailure = reason;
    const delay = this.backoff.next();
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
    const line = bytes.toString(this.encoding);
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

function asConnectionError(reason: unknown, name: string): DeviceConnectionError {
  return reason instanceof DeviceConnectionError
    ? reason
    : new DeviceConnectionError(`cannot connect to ${name}: ${messageOf(reason)}`, 'error', { cause: reason });
}
