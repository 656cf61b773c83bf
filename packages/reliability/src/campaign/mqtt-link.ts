import { connect, type Socket } from 'node:net';
import { generate, parser, type IConnackPacket, type Packet } from 'mqtt-packet';

export interface LinkOptions {
  /** Broker URLs (`mqtt://host:port`), tried in turn. */
  urls: readonly string[];
  clientId: string;
  clean: boolean;
  keepaliveS: number;
  /** After each CONNACK (accepted). */
  onConnect(sessionPresent: boolean): void;
  onPacket(packet: Packet): void;
  onClose?(): void;
}

const RECONNECT_MS = 200;
const CONNECT_TIMEOUT_MS = 3000;

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 1883) };
}

/**
 * A minimal MQTT 3.1.1 connection that reconnects for ever, written on mqtt-packet so that the
 * campaign's own clients keep no state but their owner's: MQTT.js keeps an outgoing store of its
 * own, which lost QoS 1 messages published while it was reconnecting. Here nothing is queued: a
 * packet sent while down is refused (`send` returns false) and the owner sends it again after
 * the next CONNACK.
 */
export class MqttLink {
  private socket: Socket | undefined;
  private ready = false;
  private closed = false;
  private attempt = 0;
  private lastHeard = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pinger: NodeJS.Timeout;
  /** CONNACKs received so far (the number of connections made). */
  connections = 0;

  constructor(private readonly o: LinkOptions) {
    this.pinger = setInterval(() => this.keepalive(), (o.keepaliveS * 1000) / 2);
    this.open();
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Writes the packet if connected; false when it was not written. */
  send(packet: Packet): boolean {
    if (!this.ready || !this.socket) return false;
    this.socket.write(generate(packet));
    return true;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pinger);
    for (const t of this.timers) clearTimeout(t);
    if (this.ready) this.socket?.end(generate({ cmd: 'disconnect' }));
    else this.socket?.destroy();
  }

  private later(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    this.timers.add(t);
  }

  private keepalive(): void {
    if (!this.socket) return;
    // No CONNACK or no packet for 1.5 keepalives: the link is dead even if the socket looks open.
    const silentMs = Date.now() - this.lastHeard;
    if (silentMs > Math.max(CONNECT_TIMEOUT_MS, this.o.keepaliveS * 1500)) this.socket.destroy();
    else if (this.ready) this.socket.write(generate({ cmd: 'pingreq' }));
  }

  private open(): void {
    if (this.closed) return;
    const url = this.o.urls[this.attempt++ % this.o.urls.length]!;
    const socket = connect(hostPort(url));
    this.socket = socket;
    this.lastHeard = Date.now();
    socket.setNoDelay(true);
    const p = parser({ protocolVersion: 4 });
    p.on('packet', (packet: Packet) => {
      this.lastHeard = Date.now();
      if (packet.cmd === 'connack') return this.connack(packet, socket);
      if (this.ready) this.o.onPacket(packet);
    });
    p.on('error', () => socket.destroy());
    socket.on('data', (b: Buffer) => p.parse(b));
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      socket.write(
        generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: this.o.clientId, clean: this.o.clean, keepalive: this.o.keepaliveS }),
      );
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const was = this.ready;
      this.ready = false;
      this.socket = undefined;
      if (was) this.o.onClose?.();
      this.later(RECONNECT_MS, () => this.open());
    });
  }

  private connack(packet: IConnackPacket, socket: Socket): void {
    if ((packet.returnCode ?? 0) !== 0) {
      socket.destroy();
      return;
    }
    this.ready = true;
    this.connections++;
    this.o.onConnect(packet.sessionPresent);
  }
}
