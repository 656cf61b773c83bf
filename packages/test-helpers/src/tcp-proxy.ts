import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './ports.js';

/** `up`: from the client to the target (the broker); `down`: from the target to the client. */
export type ProxyDirection = 'up' | 'down';

/**
 * Bytes seen by the relay: `in` as read from the sending side (whether or not they get through),
 * `out` as written to the receiving side (after any latency; never for swallowed bytes).
 */
export interface ProxyData {
  /** The relayed connection, numbered from 1 in accept order. */
  connection: number;
  direction: ProxyDirection;
  stage: 'in' | 'out';
  chunk: Buffer;
}

export type ProxyConnectionEvent = 'open' | 'client-closed' | 'target-closed' | 'close';

export interface TcpProxyOptions {
  targetHost?: string;
  /** Called for every chunk in and out (a tap parsing the stream). Must not throw. */
  onData?(data: ProxyData): void;
  /**
   * A relayed connection opened, one of its sides closed (`client-closed`, `target-closed`: under
   * silent loss the other side is not told), or both are gone (`close`).
   */
  onConnection?(connection: number, event: ProxyConnectionEvent): void;
}

/** Added delay per chunk: `ms` plus up to `jitterMs` drawn from `random`; the order is kept. */
export interface ProxyLatency {
  ms: number;
  jitterMs?: number;
  /** Default Math.random: give a seeded one to replay a run. */
  random?: () => number;
}

/** A TCP relay in front of a broker, whose link a test can cut, silence or slow like a network. */
export interface TcpProxy {
  port: number;
  url: string;
  /** Drops every connection and refuses new ones (the broker itself stays up). */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  /**
   * Silent loss (a half-open link) while on: every byte is swallowed both ways and every socket is
   * kept open, a close on one side included (the other side is not told), so only a keepalive can
   * find out. Turned off: the connections that lost bytes or a close are reset (their streams have
   * holes), the others go on.
   */
  setLoss(on: boolean): void;
  /** Delays forwarding (both ways), or stops delaying (queued bytes still go out in order). */
  setLatency(latency: ProxyLatency | undefined): void;
  /** Relayed connections open now. */
  readonly connections: number;
  close(): Promise<void>;
}

interface Lane {
  queue: Array<{ due: number; chunk: Buffer | null }>;
  timer: NodeJS.Timeout | undefined;
  lastDue: number;
}

interface Link {
  id: number;
  inbound: Socket;
  outbound: Socket;
  /** Bytes or a close were swallowed: the link is reset when the loss ends. */
  damaged: boolean;
  lanes: Record<ProxyDirection, Lane>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1', options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const port = await freePort();
  const links = new Set<Link>();
  let server: Server | undefined;
  let nextId = 1;
  let loss = false;
  let latency: ProxyLatency | undefined;
  const host = options.targetHost ?? targetHost;

  const destroy = (link: Link) => {
    for (const lane of Object.values(link.lanes)) clearTimeout(lane.timer);
    link.inbound.destroy();
    link.outbound.destroy();
  };

  /** Writes what is due on a lane, in order; a null chunk is the sender's close. */
  const pump = (link: Link, direction: ProxyDirection) => {
    const lane = link.lanes[direction];
    lane.timer = undefined;
    const to = direction === 'up' ? link.outbound : link.inbound;
    const now = Date.now();
    while (lane.queue.length > 0 && lane.queue[0]!.due <= now) {
      const { chunk } = lane.queue.shift()!;
      if (chunk === null) return destroy(link);
      if (to.destroyed) continue;
      to.write(chunk);
      options.onData?.({ connection: link.id, direction, stage: 'out', chunk });
    }
    if (lane.queue.length > 0) lane.timer = setTimeout(() => pump(link, direction), lane.queue[0]!.due - now);
  };

  const forward = (link: Link, direction: ProxyDirection, chunk: Buffer | null) => {
    if (chunk !== null) options.onData?.({ connection: link.id, direction, stage: 'in', chunk });
    if (loss) {
      link.damaged = true;
      return;
    }
    const lane = link.lanes[direction];
    const delay = latency ? latency.ms + (latency.jitterMs ?? 0) * (latency.random ?? Math.random)() : 0;
    // Never before what was queued earlier: jitter must not reorder a TCP stream.
    const due = Math.max(Date.now() + delay, lane.lastDue);
    lane.lastDue = due;
    lane.queue.push({ due, chunk });
    if (lane.timer === undefined) {
      if (delay === 0 && lane.queue.length === 1) pump(link, direction);
      else lane.timer = setTimeout(() => pump(link, direction), Math.max(0, lane.queue[0]!.due - Date.now()));
    }
  };

  const accept = (inbound: Socket) => {
    const outbound = connect({ port: targetPort, host });
    const lane = (): Lane => ({ queue: [], timer: undefined, lastDue: 0 });
    const link: Link = { id: nextId++, inbound, outbound, damaged: false, lanes: { up: lane(), down: lane() } };
    links.add(link);
    options.onConnection?.(link.id, 'open');
    let open = 2;
    for (const [socket, direction, side] of [
      [inbound, 'up', 'client-closed'],
      [outbound, 'down', 'target-closed'],
    ] as const) {
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => forward(link, direction, chunk));
      socket.on('close', () => {
        options.onConnection?.(link.id, side);
        // The other side learns of the close after what was sent before it (or never, under loss).
        if (!link.inbound.destroyed || !link.outbound.destroyed) forward(link, direction, null);
        if (--open === 0) {
          links.delete(link);
          for (const l of Object.values(link.lanes)) clearTimeout(l.timer);
          options.onConnection?.(link.id, 'close');
        }
      });
    }
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      server = createServer(accept);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const link of links) destroy(link);
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await listen();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    cut: stop,
    restore: listen,
    setLoss(on) {
      loss = on;
      if (!on) for (const link of links) if (link.damaged) destroy(link);
    },
    setLatency(l) {
      latency = l;
    },
    get connections() {
      return links.size;
    },
    close: stop,
  };
}
