import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

/** A TCP relay in front of a broker, whose link a test can cut and restore like a network. */
export interface TcpProxy {
  port: number;
  url: string;
  /** Drops every connection and refuses new ones (the broker itself stays up). */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((inbound) => {
        const outbound = connect({ port: targetPort, host: targetHost });
        for (const s of [inbound, outbound]) {
          s.setNoDelay(true);
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        inbound.pipe(outbound).pipe(inbound);
        inbound.on('close', () => outbound.destroy());
        outbound.on('close', () => inbound.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return { port, url: `mqtt://127.0.0.1:${port}`, cut: stop, restore: listen, close: stop };
}
