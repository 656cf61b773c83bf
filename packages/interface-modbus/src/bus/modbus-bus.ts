import { EventEmitter } from 'node:events';
import { Backoff } from '@mg/backoff';
import type { DeviceLogger } from '@mg/device-io';
import { errorMessage } from '@mg/errors';
import type ModbusRTU from 'modbus-serial';
import { ModbusError } from '../errors.js';
import { formatBusAddress, type BusAddress } from './address.js';
import { closeClient, describeRequest, discardStaleInput, exchange, openClient, type ModbusRequest, type ReadResult } from './client.js';
import type { CharacterFormat } from './interframe.js';

export type BusState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** A change of the bus's connection (a 'state' event); `core`'s `follow()` reads this shape too. */
export interface BusStateChange {
  readonly state: BusState;
  /** Why it is not connected, in words. */
  readonly reason?: string;
  /** When disconnected: the next attempt comes in this long, ms. */
  readonly retryInMs?: number;
}

export interface ModbusBusOptions {
  readonly address: BusAddress;
  /** The serial line's format (serial ports only). */
  readonly serial: CharacterFormat;
  /** How long a unit has to answer one request, ms. */
  readonly timeoutMs: number;
  /** Requests sent again after a timeout or a garbled answer (not after an exception). */
  readonly retries: number;
  /** Silence kept between the end of an answer and the next request (RTU), ms. */
  readonly interFrameMs: number;
  /** Delays between attempts to connect, doubling from minMs to maxMs. */
  readonly reconnect: { readonly minMs: number; readonly maxMs: number };
  readonly logger?: DeviceLogger;
}

/** What the bus did since it was made. */
export interface BusCounters {
  /** Requests answered (reads and writes), retries not counted apart. */
  requests: number;
  /** Requests sent again after a timeout or a garbled answer. */
  retries: number;
  /** Requests answered with a Modbus exception. */
  exceptions: number;
  /** Requests with no answer after every retry. */
  timeouts: number;
  /** Answers that were not what was asked for (length, CRC, unit). */
  badAnswers: number;
  /** Connections made, the first included. */
  connections: number;
}

/**
 * One Modbus bus (a TCP connection, or a serial line and its units): one request at a time, in
 * the order asked, with the inter-frame silence of RTU kept between them; each request for its
 * own unit, with a timeout and retries. It connects by itself and again, with growing delays
 * (@mg/backoff, as every @mg transport), whenever the connection is lost; a request made while
 * it is not connected fails at once (MODBUS_NOT_CONNECTED), so that callers (the poll
 * scheduler) see the line down rather than a silent unit.
 */
export class ModbusBus extends EventEmitter<{ state: [BusStateChange] }> {
  readonly name: string;
  readonly counters: BusCounters = { requests: 0, retries: 0, exceptions: 0, timeouts: 0, badAnswers: 0, connections: 0 };
  private current: BusState = 'idle';
  private client: ModbusRTU | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lastFrameAt = 0;
  private readonly halt = new AbortController();
  private running: Promise<void> | undefined;
  // Rejects the request in flight when the connection it went out on is lost.
  private lost: ((err: ModbusError) => void) | undefined;

  constructor(private readonly o: ModbusBusOptions) {
    super();
    this.name = formatBusAddress(o.address);
    new Backoff(o.reconnect); // throws on a range that cannot work, before anything starts
  }

  get state(): BusState {
    return this.current;
  }

  /** Connects in the background (and again after every loss) until stop() or `signal`. */
  start(signal?: AbortSignal): void {
    if (this.running || this.current === 'stopped') return;
    if (signal?.aborted) {
      void this.stop();
      return;
    }
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.running = this.connectLoop();
  }

  async stop(): Promise<void> {
    this.halt.abort();
    if (this.client) closeClient(this.client);
    await this.running;
    if (this.current !== 'stopped') this.setState({ state: 'stopped', reason: 'stopped' });
  }

  /**
   * Queues a request; resolves with what a read returned (undefined for a write). `signal`
   * aborted while it waits for its turn: rejected without being sent.
   */
  request(r: ModbusRequest, signal?: AbortSignal): Promise<ReadResult | undefined> {
    const turn = this.queue.then(() => this.run(r, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async run(r: ModbusRequest, signal: AbortSignal | undefined): Promise<ReadResult | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) throw new ModbusError('MODBUS_STOPPED', `${describeRequest(r)}: given up before it was sent`, { cause: signal.reason });
      if (this.halt.signal.aborted) throw new ModbusError('MODBUS_STOPPED', `${describeRequest(r)}: the bus was stopped`);
      const client = this.client;
      if (!client || this.current !== 'connected') throw new ModbusError('MODBUS_NOT_CONNECTED', `${describeRequest(r)}: ${this.name} is not connected`);
      await this.gap();
      try {
        const result = await this.send(client, r);
        this.counters.requests += 1;
        return result;
      } catch (err) {
        const code = (err as ModbusError).code;
        if (code === 'MODBUS_EXCEPTION') this.counters.exceptions += 1;
        if (code === 'MODBUS_BAD_ANSWER') this.counters.badAnswers += 1;
        const retry = (code === 'MODBUS_TIMEOUT' || code === 'MODBUS_BAD_ANSWER') && attempt < this.o.retries;
        if (!retry) {
          if (code === 'MODBUS_TIMEOUT') this.counters.timeouts += 1;
          throw err;
        }
        this.counters.retries += 1;
        this.o.logger?.debug?.(`${this.name}: ${errorMessage(err)}; sent again (${attempt + 1} of ${this.o.retries})`);
      }
    }
  }

  /** One exchange, failed by the connection's loss as well as by the client's own timeout. */
  private async send(client: ModbusRTU, r: ModbusRequest): Promise<ReadResult | undefined> {
    if (this.o.address.kind !== 'tcp') discardStaleInput(client);
    const lost = new Promise<never>((_, reject) => (this.lost = reject));
    try {
      return await Promise.race([exchange(client, r), lost]);
    } finally {
      this.lost = undefined;
      this.lastFrameAt = performance.now();
    }
  }

  private async gap(): Promise<void> {
    const wait = this.lastFrameAt + this.o.interFrameMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }

  private setState(change: BusStateChange): void {
    this.current = change.state;
    this.emit('state', change);
  }

  private async connectLoop(): Promise<void> {
    const backoff = new Backoff(this.o.reconnect);
    const log = this.o.logger;
    const connectTimeoutMs = Math.max(3_000, this.o.timeoutMs * 3);
    while (!this.halt.signal.aborted) {
      this.setState({ state: 'connecting' });
      let reason: string;
      try {
        const client = await openClient(this.o.address, this.o.serial, connectTimeoutMs, this.halt.signal, (err) =>
          log?.debug?.(`${this.name}: ${errorMessage(err)}`),
        );
        if (this.halt.signal.aborted) {
          closeClient(client);
          break;
        }
        client.setTimeout(this.o.timeoutMs);
        backoff.reset();
        this.counters.connections += 1;
        this.client = client;
        this.lastFrameAt = 0;
        this.setState({ state: 'connected' });
        reason = await this.closed(client);
        this.client = undefined;
        this.lost?.(new ModbusError('MODBUS_NOT_CONNECTED', `the connection to ${this.name} was lost during the request`));
        closeClient(client);
      } catch (err) {
        reason = errorMessage(err);
      }
      if (this.halt.signal.aborted) break;
      const retryInMs = backoff.next();
      this.setState({ state: 'disconnected', reason, retryInMs });
      // The abort listener is removed again: one per outage would pile up on the stop signal.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.halt.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, retryInMs);
        this.halt.signal.addEventListener('abort', done, { once: true });
      });
    }
    this.setState({ state: 'stopped', reason: 'stopped' });
  }

  /** Resolves with a reason once the client's port closes, or at stop(). */
  private closed(client: ModbusRTU): Promise<string> {
    return new Promise((resolve) => {
      const stopped = () => resolve('stopped');
      (client as unknown as EventEmitter).once('close', () => {
        this.halt.signal.removeEventListener('abort', stopped);
        resolve(`the connection to ${this.name} was closed`);
      });
      this.halt.signal.addEventListener('abort', stopped, { once: true });
    });
  }
}
