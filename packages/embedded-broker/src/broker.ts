import { createServer, type Server } from 'node:net';
import { MgError, type MgErrorOptions } from '@mg/errors';

/** The smallest logger this package needs. */
export interface BrokerLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface EmbeddedBrokerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  logger?: BrokerLog;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  /** `mqtt://host:port` */
  readonly url: string;
  /** Clients connected now. */
  readonly clients: number;
  close(): Promise<void>;
}

/** Every code an EmbeddedBrokerError can have: the broker could not listen (port taken, address missing). */
export type EmbeddedBrokerErrorCode = 'BROKER_LISTEN';

/** The embedded broker could not start; `cause` is the listening error. */
export class EmbeddedBrokerError extends MgError {
  declare readonly code: EmbeddedBrokerErrorCode;

  constructor(message: string, options?: MgErrorOptions) {
    super('BROKER_LISTEN', message, options);
  }
}

/** Starts an MQTT broker (aedes) in this process, listening on TCP. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  // Loaded here, not at import: reading brokerSection must not load a broker. aedes is ESM-only:
  // a dynamic import (kept as such in this CommonJS output), because require() of ESM resolved
  // aedes's own imports from the symlink under node_modules, where pnpm puts none of them, in
  // the launcher process ("Cannot find package 'aedes-packet'").
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  aedes.on('clientError', (client, err) => options.logger?.warn(`embedded broker: client ${client.id}: ${err.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
  } catch (cause) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${options.port} on ${host} is already in use (another broker?): set [BROKER] port to a free one, or turn [BROKER] embedded off and point [MQTT] at that broker`
        : `cannot listen on ${host}:${options.port}: ${(cause as Error).message}`;
    throw new EmbeddedBrokerError(`embedded broker: ${why}`, { cause });
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger?.info(`embedded broker listening on mqtt://${host}:${port}`);
  return {
    host,
    port,
    url: `mqtt://${host}:${port}`,
    get clients() {
      return aedes.connectedClients;
    },
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      options.logger?.info('embedded broker stopped');
    },
  };
}
