import net from 'node:net';
import { performance } from 'node:perf_hooks';

/** A line received by the simulated device, and when (performance.now()). */
export interface ReceivedLine {
  text: string;
  at: number;
}

/**
 * A device simulated on a real TCP server on 127.0.0.1: it records the lines it receives (cut
 * on `\r`), can answer them, send lines, hang up, stop listening and come back on the same port.
 */
export class TcpDevice {
  readonly received: ReceivedLine[] = [];
  /** Answers a received line; return undefined to stay silent. */
  answer: (line: string) => string | undefined = () => undefined;
  connections = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  private constructor(public port: number) {}

  /** A device listening on `port` (0: a free one). */
  static async start(port = 0): Promise<TcpDevice> {
    const device = new TcpDevice(port);
    await device.listen();
    return device;
  }

  /** Starts listening (again) on the same port. */
  async listen(): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Sends raw text to every connected client. */
  send(text: string | Buffer): void {
    for (const socket of this.sockets) socket.write(text);
  }

  /** Hangs up on every client, still listening. */
  hangUp(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Hangs up and stops listening: the device is gone. */
  async close(): Promise<void> {
    this.hangUp();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get clients(): number {
    return this.sockets.size;
  }

  private accept(socket: net.Socket): void {
    this.connections += 1;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      const at = performance.now();
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r')) >= 0) {
        const text = pending.slice(0, end);
        pending = pending.slice(end + 1);
        this.received.push({ text, at });
        const reply = this.answer(text);
        if (reply !== undefined) socket.write(reply);
      }
    });
  }
}

/** A port nothing listens on (it was free a moment ago). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
