import type { InternalMessage } from '../model/message.js';
import type { MessageList } from '../model/message-list.js';

/**
 * What happens when the incoming list is full: `pause` stops reading from the broker until the
 * interface has taken messages (nothing acknowledged is lost; messages wait at the broker);
 * `dropoldest` keeps reading and drops the oldest waiting message (the freshest state wins).
 */
export const INCOMING_OVERFLOW = ['pause', 'dropoldest'] as const;
type IncomingOverflow = (typeof INCOMING_OVERFLOW)[number];

export interface IncomingFlowOptions {
  overflow: IncomingOverflow;
  /** Reading resumes once the list holds this many messages or fewer. Default: half the limit. */
  resumeAt?: number;
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
 */
export class IncomingFlow {
  readonly resumeAt: number;
  private readonly held: Held[] = [];
  private pausedAt = 0;
  private cancelWatch: (() => void) | undefined;
  private closed = false;
  /** Held messages of a lost connection wait for the next CONNACK to say whether the broker kept them. */
  private undecided = false;

  constructor(
    private readonly list: MessageList,
    private readonly options: IncomingFlowOptions,
    private readonly events: IncomingFlowEvents = {},
    private readonly clock: () => number = Date.now,
  ) {
    const limit = list.limit;
    const resumeAt = options.resumeAt ?? (Number.isFinite(limit) ? Math.floor(limit / 2) : 0);
    if (!(resumeAt >= 0 && resumeAt < limit)) throw new RangeError(`resumeAt must be between 0 and the list limit - 1, got ${resumeAt}`);
    this.resumeAt = resumeAt;
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
   * flow closes is never taken). False when the flow is closed (stopping) and the message not taken.
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
    }
    return true;
  }

  /**
   * The connection is gone: the acknowledgements held can no longer be sent. Every held message
   * is kept; whether the broker will send one again (QoS 1/2, persistent session) is known only
   * from the next CONNACK (`connected()`): until then such a message waits, and with it what
   * came after it (order is kept).
   */
  connectionLost(): void {
    for (const h of this.held) {
      h.ack = NOOP;
      if (h.redeliverable) {
        h.lost = true;
        this.undecided = true;
      }
    }
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
        result.leftToBroker += 1;
      } else {
        h.redeliverable = false; // that session is gone: nothing will bring it back, whatever comes next
        result.kept += 1;
      }
    }
    if (this.held.length === 0) this.resume();
    else if (!this.cancelWatch) this.cancelWatch = this.list.whenAtMost(this.resumeAt, () => this.release());
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
      this.list.push(h.msg);
      this.events.taken?.(h.msg, h.topic);
      acks.push(h.ack);
    }
    if (this.held.length === 0) this.resume();
    else if (!this.held[0]!.lost) this.cancelWatch = this.list.whenAtMost(this.resumeAt, () => this.release());
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
