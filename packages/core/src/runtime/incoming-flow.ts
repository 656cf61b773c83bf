import type { InternalMessage } from '../model/message.js';
import type { IncomingList } from './incoming-list.js';

/**
 * What happens when the incoming list is full: `pause` stops reading from the broker until the
 * interface has taken messages (nothing acknowledged is lost; messages wait at the broker);
 * `dropoldest` keeps reading and drops the oldest waiting message (the freshest state wins).
 */
export const INCOMING_OVERFLOW = ['pause', 'dropoldest'] as const;
type IncomingOverflow = (typeof INCOMING_OVERFLOW)[number];

/**
 * When a message the broker would send again (QoS 1/2 on a persistent session) is acknowledged:
 * `received`, once it is in the incoming list (a gateway killed then loses what the list holds);
 * `taken`, once the interface takes it (the client reads nothing more meanwhile: a crash loses
 * nothing the broker would not send again). Others are acknowledged on entry either way.
 */
export const ACKNOWLEDGE = ['received', 'taken'] as const;
type Acknowledge = (typeof ACKNOWLEDGE)[number];

export interface IncomingFlowOptions {
  overflow: IncomingOverflow;
  /** Reading resumes once the list holds this many messages or fewer. Default: half the limit. */
  resumeAt?: number;
  /** Default `received`. With `dropoldest` every message is acknowledged on entry. */
  acknowledge?: Acknowledge;
}

/** What the flow tells the gateway (counted, logged, emitted as events). */
export interface IncomingFlowEvents {
  /** The list is full: reading from the broker stops; `waiting` messages are in the list. */
  paused?(waiting: number): void;
  /** The interface took messages: reading goes on after `pausedMs`. */
  resumed?(pausedMs: number): void;
  /** `dropoldest` only: a message was dropped to make room. */
  dropped?(): void;
  /** A message went into the list (now, or once room was made): the interface will get it. */
  taken?(msg: InternalMessage, topic: string): void;
  /** A message told as `taken` was taken back, untaken: its connection was lost and the broker sends it again. */
  withdrawn?(msg: InternalMessage): void;
  /**
   * Reading from the broker stopped (a message waits for room, or for the interface to take it)
   * or goes on: while stopped, the client cannot see the broker's keepalive answers.
   */
  reading?(stopped: boolean): void;
}

interface Held {
  msg: InternalMessage;
  /** The MQTT topic it came on, for `taken`. */
  topic: string;
  /** Acknowledges the message to the broker and lets the client read the next packet. */
  ack: () => void;
  /** The broker sends it again if it is not acknowledged (QoS 1/2 on a persistent session). */
  redeliverable: boolean;
  /** Read on a connection since lost: whether the broker sends it again is known at the next CONNACK. */
  lost: boolean;
  /** Already told as `taken` (put back from the list when its connection was lost). */
  told?: boolean;
}

const NOOP = () => undefined;

/**
 * Flow control between the broker and the interface. A message read from the broker is
 * acknowledged (PUBACK, PUBCOMP; for QoS 0, the next packet read) only once it is in the
 * incoming list. When the list is full the message is held with its acknowledgement, and since
 * the MQTT client reads the next packet only after that acknowledgement, reading stops: further
 * messages wait at the broker (its session for QoS 1/2, its queue policy for QoS 0) and memory
 * stays bounded by the list's limit. Reading resumes at the low watermark (hysteresis, so that
 * a busy interface does not flip the connection between paused and reading for every message).
 * With `acknowledge: taken`, a message the broker would send again is acknowledged only once the
 * interface takes it. What waits for an acknowledgement when the connection is lost is kept; the
 * next CONNACK decides whether the broker sends it again (`connected()`).
 */
export class IncomingFlow {
  readonly resumeAt: number;
  private readonly held: Held[] = [];
  private pausedAt = 0;
  private cancelWatch: (() => void) | undefined;
  private closed = false;
  /** Held messages of a lost connection wait for the next CONNACK to say whether the broker kept them. */
  private undecided = false;
  private readonly whenTaken: boolean;
  /** `acknowledge: taken`: the message in the list whose acknowledgement waits for the interface to take it. */
  private awaited: InternalMessage | undefined;
  private awaitedAck: () => void = NOOP;
  private awaitedTopic = '';
  private readingStopped = false;

  constructor(
    private readonly list: IncomingList,
    private readonly options: IncomingFlowOptions,
    private readonly events: IncomingFlowEvents = {},
    private readonly clock: () => number = Date.now,
  ) {
    const limit = list.limit;
    const resumeAt = options.resumeAt ?? (Number.isFinite(limit) ? Math.floor(limit / 2) : 0);
    if (!(resumeAt >= 0 && resumeAt < limit)) throw new RangeError(`resumeAt must be between 0 and the list limit - 1, got ${resumeAt}`);
    this.resumeAt = resumeAt;
    this.whenTaken = options.acknowledge === 'taken' && options.overflow === 'pause';
    list.onTaken = (msg) => {
      if (msg === this.awaited) this.taken();
    };
  }

  /** True while reading from the broker is stopped. */
  get paused(): boolean {
    return this.held.length > 0;
  }

  /** Messages read but not yet in the list (and not acknowledged). */
  get waiting(): number {
    return this.held.length;
  }

  /**
   * A message read from the broker on `topic`. `ack` is called once it is in the list: now, or
   * when the interface has made room (`taken` is told then, not before: a message held when the
   * flow closes is never taken); with `acknowledge: taken` and `redeliverable`, once the
   * interface has taken it. False when the flow is closed (stopping) and the message not taken.
   */
  offer(msg: InternalMessage, ack: () => void, redeliverable: boolean, topic = ''): boolean {
    if (this.closed) return false; // stopping: not acknowledged, the broker keeps what it can
    if (this.options.overflow === 'dropoldest') {
      if (!this.list.push(msg)) this.events.dropped?.();
      this.events.taken?.(msg, topic);
      ack();
      return true;
    }
    if (this.held.length === 0 && !this.list.full) {
      if (redeliverable && this.whenTaken) {
        this.await(msg, ack, topic);
        return true;
      }
      this.list.push(msg);
      this.events.taken?.(msg, topic);
      ack();
      return true;
    }
    this.held.push({ msg, topic, ack, redeliverable, lost: false });
    if (this.held.length === 1) {
      this.pausedAt = this.clock();
      this.events.paused?.(this.list.size);
      this.cancelWatch = this.list.whenAtMost(this.resumeAt, () => this.release());
      this.updateReading();
    }
    return true;
  }

  /**
   * `acknowledge: taken`: into the list with its acknowledgement held until the interface takes
   * it (at once when an iterator waits). The client reads nothing more meanwhile.
   */
  private await(msg: InternalMessage, ack: () => void, topic: string): void {
    this.awaited = msg;
    this.awaitedAck = ack;
    this.awaitedTopic = topic;
    // Told before the push: taken at once, its acknowledgement may make the client offer the next.
    this.events.taken?.(msg, topic);
    this.updateReading();
    this.list.push(msg);
  }

  private taken(): void {
    const ack = this.awaitedAck;
    this.awaited = undefined;
    this.awaitedAck = NOOP;
    this.updateReading();
    ack();
  }

  private updateReading(): void {
    const stopped = this.held.length > 0 || this.awaited !== undefined;
    if (stopped === this.readingStopped) return;
    this.readingStopped = stopped;
    this.events.reading?.(stopped);
  }

  /**
   * The connection is gone: the acknowledgements held can no longer be sent. Every held message
   * is kept; whether the broker will send one again (QoS 1/2, persistent session) is known only
   * from the next CONNACK (`connected()`): until then such a message waits, and with it what
   * came after it (order is kept).
   */
  connectionLost(): void {
    // `acknowledge: taken`: one the interface has not taken yet goes back before the held ones
    // (it came before them): the same decision applies to it.
    const awaited = this.awaited;
    if (awaited) {
      this.awaited = undefined;
      this.awaitedAck = NOOP;
      if (this.list.withdraw(awaited)) this.held.unshift({ msg: awaited, topic: this.awaitedTopic, ack: NOOP, redeliverable: true, lost: false, told: true });
    }
    for (const h of this.held) {
      h.ack = NOOP;
      if (h.redeliverable) {
        h.lost = true;
        this.undecided = true;
      }
    }
    this.updateReading();
  }

  /**
   * Connected again. `sessionPresent` (the CONNACK's): the broker kept the session and sends again
   * what it had sent and not had acknowledged, so the held messages of the lost connection that it
   * will send are dropped here (no duplicate). Without a session (the broker lost it, or a clean
   * session) nothing would bring them back: they are delivered, in order, before anything newer.
   * Returns how many held messages were left to the broker and how many kept for the interface.
   */
  connected(sessionPresent: boolean): { leftToBroker: number; kept: number } {
    const result = { leftToBroker: 0, kept: 0 };
    if (!this.undecided) return result;
    this.undecided = false;
    for (let i = this.held.length - 1; i >= 0; i--) {
      const h = this.held[i]!;
      if (!h.lost) continue;
      h.lost = false;
      if (sessionPresent) {
        this.held.splice(i, 1);
        if (h.told) this.events.withdrawn?.(h.msg);
        result.leftToBroker += 1;
      } else {
        h.redeliverable = false; // that session is gone: nothing will bring it back, whatever comes next
        result.kept += 1;
      }
    }
    if (this.held.length === 0) this.resume();
    else if (!this.cancelWatch) this.cancelWatch = this.list.whenAtMost(this.resumeAt, () => this.release());
    this.updateReading();
    return result;
  }

  /** Stops taking messages; what is held is left unacknowledged (to the broker). Returns how many. */
  close(): number {
    this.closed = true;
    const left = this.held.length;
    this.held.length = 0;
    this.cancelWatch?.();
    this.cancelWatch = undefined;
    return left;
  }

  private release(): void {
    this.cancelWatch = undefined;
    // Room was made: the held messages go in first (oldest first). The acknowledgements are
    // sent once the state is settled: one may make the client read (and offer) the next packet.
    // One whose connection was lost waits for the next CONNACK, and what follows it waits too.
    const acks: (() => void)[] = [];
    while (this.held.length > 0 && !this.list.full && !this.held[0]!.lost) {
      const h = this.held.shift()!;
      // Only the current connection's can be waiting for its acknowledgement: the client read
      // nothing after it. One put back from the list was told already.
      if (h.redeliverable && this.whenTaken && h.ack !== NOOP) {
        this.awaited = h.msg;
        this.awaitedAck = h.ack;
        this.awaitedTopic = h.topic;
      } else acks.push(h.ack);
      if (!h.told) this.events.taken?.(h.msg, h.topic);
      this.list.push(h.msg);
    }
    if (this.held.length === 0) this.resume();
    else if (!this.held[0]!.lost) this.cancelWatch = this.list.whenAtMost(this.resumeAt, () => this.release());
    this.updateReading();
    for (const ack of acks) ack();
  }

  private resume(): void {
    if (this.pausedAt === 0) return;
    const pausedMs = this.clock() - this.pausedAt;
    this.pausedAt = 0;
    this.cancelWatch?.();
    this.cancelWatch = undefined;
    this.events.resumed?.(pausedMs);
  }
}
