import type { Packet } from 'mqtt-packet';
import type { OwnEvent } from './history.js';
import { MqttLink } from './mqtt-link.js';

interface ClientOptions {
  urls: readonly string[];
  clientId: string;
  keepaliveS: number;
  record(e: OwnEvent): void;
}

export interface SenderOptions extends ClientOptions {
  /** Commands published and not yet acknowledged by the broker, at most. */
  window: number;
  /** Target rate of new commands, per second. */
  ratePerS: number;
  /** The next command id, or undefined when no new command may be sent now (budget, backlog). */
  nextId(): string | undefined;
  command(id: string): { topic: string; payload: Buffer };
}

const TICK_MS = 10;

/**
 * A device that publishes QoS 1 commands and loses none itself: every id stays in its own store
 * until the broker acknowledges it, and after each reconnection everything unacknowledged is
 * published again (clean session: the broker keeps nothing of ours, so nothing is trusted to it
 * before its PUBACK). A resend of a command the broker had taken before the drop is a duplicate,
 * which QoS 1 allows and the checker counts.
 */
export class Sender {
  /** id → packet id on the current connection (0: not yet published on it). Insertion order = id order. */
  private readonly unacked = new Map<string, number>();
  private readonly byPacket = new Map<number, string>();
  private packetId = 0;
  private tokens = 0;
  private last = Date.now();
  private readonly link: MqttLink;
  private readonly ticker: NodeJS.Timeout;
  private done = false;

  constructor(private readonly o: SenderOptions) {
    this.link = new MqttLink({
      urls: o.urls,
      clientId: o.clientId,
      clean: true,
      keepaliveS: o.keepaliveS,
      onConnect: () => this.resend(),
      onPacket: (p) => this.packet(p),
    });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  /** Commands not yet acknowledged by the broker. */
  get pending(): number {
    return this.unacked.size;
  }

  get connections(): number {
    return this.link.connections;
  }

  /** No new commands from now on; the ones pending are still sent until acknowledged. */
  finish(): void {
    this.done = true;
  }

  close(): void {
    clearInterval(this.ticker);
    this.link.close();
  }

  private resend(): void {
    this.byPacket.clear();
    for (const id of this.unacked.keys()) this.publish(id, true);
  }

  private tick(): void {
    const now = Date.now();
    this.tokens = Math.min(this.tokens + ((now - this.last) * this.o.ratePerS) / 1000, Math.max(1, this.o.ratePerS / 20));
    this.last = now;
    while (!this.done && this.tokens >= 1 && this.link.connected && this.unacked.size < this.o.window) {
      const id = this.o.nextId();
      if (id === undefined) return;
      this.tokens--;
      this.o.record({ at: now, kind: 'sent', id });
      this.unacked.set(id, 0);
      this.publish(id, false);
    }
  }

  private publish(id: string, dup: boolean): void {
    do this.packetId = (this.packetId % 65535) + 1;
    while (this.byPacket.has(this.packetId));
    this.byPacket.set(this.packetId, id);
    this.unacked.set(id, this.packetId);
    const c = this.o.command(id);
    this.link.send({ cmd: 'publish', qos: 1, dup, retain: false, messageId: this.packetId, topic: c.topic, payload: c.payload });
  }

  private packet(p: Packet): void {
    if (p.cmd !== 'puback' || p.messageId === undefined) return;
    const id = this.byPacket.get(p.messageId);
    if (id === undefined) return;
    this.byPacket.delete(p.messageId);
    if (this.unacked.delete(id)) this.o.record({ at: Date.now(), kind: 'acked', id });
  }
}

export interface ReceiverOptions extends ClientOptions {
  filter: string;
  /** The command id a reply answers (undefined: not a reply of the campaign). */
  replyId(topic: string, payload: Buffer, packet: object): string | undefined;
}

/**
 * The application that reads the replies: a persistent session (clean off) subscribed at QoS 1,
 * subscribing again after every connection (a broker that lost its state lost the subscription
 * too), recording every reply it gets, duplicates included.
 */
export class Receiver {
  private readonly link: MqttLink;
  /** Replies that carried no campaign id. */
  strays = 0;

  constructor(private readonly o: ReceiverOptions) {
    this.link = new MqttLink({
      urls: o.urls,
      clientId: o.clientId,
      clean: false,
      keepaliveS: o.keepaliveS,
      onConnect: () => void this.link.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: o.filter, qos: 1 }] }),
      onPacket: (p) => this.packet(p),
    });
  }

  get connections(): number {
    return this.link.connections;
  }

  close(): void {
    this.link.close();
  }

  private packet(p: Packet): void {
    if (p.cmd === 'suback') {
      this.o.record({ at: Date.now(), kind: 'subscribed' });
      return;
    }
    if (p.cmd !== 'publish') return;
    const payload = typeof p.payload === 'string' ? Buffer.from(p.payload) : p.payload;
    const id = this.o.replyId(p.topic, payload, p);
    if (id === undefined) this.strays++;
    else this.o.record({ at: Date.now(), kind: 'received', id });
    // Acknowledged after it is recorded: the history is in memory, so this order costs nothing.
    if (p.qos > 0 && p.messageId !== undefined) this.link.send({ cmd: 'puback', messageId: p.messageId });
  }
}
