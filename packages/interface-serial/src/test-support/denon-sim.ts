import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { SerialPort } from 'serialport';
import { DenonReceiver, type DenonState } from './denon-protocol.js';
import { startSocatPair, type SocatPair } from '@mg/test-helpers';

export type SimLink = 'tcp' | 'pty';

/** A command the receiver got, and when (performance.now(), at the read that completed it). */
export interface ReceivedCommand {
  text: string;
  at: number;
  via: SimLink;
}

export interface DenonSimOptions {
  /** Listen on TCP 127.0.0.1 (a free port). Default true. */
  tcp?: boolean;
  /** The TCP port to listen on, e.g. one a gateway already tries. Default: a free one. */
  tcpPort?: number;
  /** Sit at one end of a socat pty pair; the gateway opens `ptyPath`. Needs socat. Default false. */
  pty?: boolean;
  /** The state at power-up. */
  state?: Partial<DenonState>;
  /** Delay before answering, ms (a real receiver takes up to 200). Default 0. */
  answerDelayMs?: number;
}

// Bounds, so that a test feeding it garbage cannot make it grow.
const MAX_PENDING = 4096;
const RAW_KEPT = 65_536;

/**
 * A simulated Denon/Marantz AV receiver on real I/O: a TCP server on 127.0.0.1 (like the
 * network control port) and/or the device end of a socat pty pair (like the RS-232 port). It
 * keeps its state, answers as the receiver does (on the link the command came from, so that
 * tests of one link do not hear another's), records every command with its arrival time, can send garbage,
 * noise, over-long and unknown lines, and can be unplugged (gently or not) and plugged back in
 * on the same address.
 */
export class DenonSim {
  readonly received: ReceivedCommand[] = [];
  /** False: the receiver hears commands but never answers (to test timeouts). */
  respond = true;
  answerDelayMs: number;
  private readonly receiver: DenonReceiver;
  private readonly useTcp: boolean;
  private readonly usePty: boolean;
  private server: net.Server | undefined;
  private port = 0;
  private readonly sockets = new Set<net.Socket>();
  private pair: SocatPair | undefined;
  private serial: SerialPort | undefined;
  private readonly pending = new Map<object, string>();
  private raw = '';
  private readonly timers = new Set<NodeJS.Timeout>();
  private plugged = false;

  private constructor(options: DenonSimOptions) {
    this.receiver = new DenonReceiver(options.state);
    this.useTcp = options.tcp ?? true;
    this.port = options.tcpPort ?? 0;
    this.usePty = options.pty ?? false;
    this.answerDelayMs = options.answerDelayMs ?? 0;
  }

  static async start(options: DenonSimOptions = {}): Promise<DenonSim> {
    const sim = new DenonSim(options);
    await sim.plugIn();
    return sim;
  }

  /** The receiver's state, live (tests may also set it). */
  get state(): DenonState {
    return this.receiver.state;
  }

  /** `tcp://127.0.0.1:<port>`: the same across restarts. */
  get tcpAddress(): string {
    if (!this.useTcp) throw new Error('this DenonSim has no TCP link');
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** The pty the gateway opens: the same path across restarts. */
  get ptyPath(): string {
    if (!this.pair) throw new Error('this DenonSim has no pty link');
    return this.pair.a;
  }

  get running(): boolean {
    return this.plugged;
  }

  /** The last 64 KiB received, as latin1 text, terminators included. */
  get rawReceived(): string {
    return this.raw;
  }

  /** TCP clients connected now. */
  get tcpClients(): number {
    return this.sockets.size;
  }

  /** Sends one line (a CR is added) on every link, as the receiver does for a change made at its front panel. */
  send(line: string): void {
    this.sendRaw(`${line}\r`);
  }

  /** Sends bytes as they are. */
  sendRaw(data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    for (const socket of this.sockets) socket.write(bytes);
    if (this.serial?.isOpen) this.serial.write(bytes);
  }

  /** Random bytes (never a CR, so they stay one line), then a CR. Deterministic for a seed. */
  injectNoise(length = 64, seed = 1): Buffer {
    let x = seed;
    const bytes = Buffer.alloc(length + 1);
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const b = x >>> 23;
      bytes[i] = b === 0x0d ? 0x0e : b;
    }
    bytes[length] = 0x0d;
    this.sendRaw(bytes);
    return bytes;
  }

  /** One line longer than any profile keeps. */
  sendOverlong(length = 5_000): void {
    this.send('X'.repeat(length));
  }

  /** A line no profile of this receiver knows (real receivers send many: surround modes, channel levels). */
  sendUnknown(line = 'MSDOLBY ATMOS'): void {
    this.send(line);
  }

  /** Unplugs the receiver: TCP connections closed and no longer accepted, the pty gone. */
  async stop(): Promise<void> {
    await this.unplug(false);
  }

  /** Like stop(), abruptly: TCP connections reset, socat killed with SIGKILL. */
  async kill(): Promise<void> {
    await this.unplug(true);
  }

  /** Plugs it back in, on the same TCP port and pty path. The state is kept. */
  async restart(): Promise<void> {
    if (this.plugged) await this.stop();
    await this.plugIn();
  }

  /** Stops for good and removes the pty's directory. */
  async close(): Promise<void> {
    await this.unplug(false);
    await this.pair?.close();
  }

  private async plugIn(): Promise<void> {
    if (this.useTcp) {
      const server = net.createServer((socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, '127.0.0.1', () => resolve());
      });
      this.port = (server.address() as net.AddressInfo).port;
      this.server = server;
    }
    if (this.usePty) {
      // The receiver listens before its cable is in: the gateway's end appears once it is open.
      const listen = async (path: string) => {
        const serial = new SerialPort({ path, baudRate: 9600, autoOpen: false });
        serial.on('data', (chunk: Buffer) => this.receive(serial, 'pty', chunk));
        serial.on('error', () => undefined);
        await new Promise<void>((resolve, reject) => serial.open((err) => (err ? reject(err) : resolve())));
        this.serial = serial;
      };
      if (this.pair) await this.pair.restart(listen);
      else this.pair = await startSocatPair(listen);
    }
    this.plugged = true;
  }

  private async unplug(abrupt: boolean): Promise<void> {
    this.plugged = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) {
      if (abrupt) socket.resetAndDestroy();
      else socket.destroy();
    }
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // The device end is closed before socat goes: serialport would otherwise spin on the
    // end-of-file of a dead pty (serialport/bindings-cpp#162).
    const serial = this.serial;
    this.serial = undefined;
    if (serial?.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
    await this.pair?.kill(abrupt ? 'SIGKILL' : 'SIGTERM');
    this.pending.clear();
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.pending.delete(socket);
    });
    socket.on('data', (chunk: Buffer) => this.receive(socket, 'tcp', chunk));
  }

  private receive(link: net.Socket | SerialPort, via: SimLink, chunk: Buffer): void {
    const at = performance.now();
    const text = chunk.toString('latin1');
    this.raw = (this.raw + text).slice(-RAW_KEPT);
    let pending = (this.pending.get(link) ?? '') + text;
    let end: number;
    while ((end = pending.indexOf('\r')) >= 0) {
      const command = pending.slice(0, end);
      pending = pending.slice(end + 1);
      this.received.push({ text: command, at, via });
      if (this.respond) this.answer(link, this.receiver.handle(command));
    }
    this.pending.set(link, pending.slice(-MAX_PENDING));
  }

  private write(link: net.Socket | SerialPort, text: string): void {
    if (link instanceof net.Socket ? !link.destroyed : link.isOpen) link.write(Buffer.from(text, 'latin1'));
  }

  private answer(link: net.Socket | SerialPort, lines: string[]): void {
    if (lines.length === 0) return;
    const text = lines.map((l) => `${l}\r`).join('');
    if (this.answerDelayMs <= 0) return this.write(link, text);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.write(link, text);
    }, this.answerDelayMs);
    this.timers.add(timer);
  }
}
