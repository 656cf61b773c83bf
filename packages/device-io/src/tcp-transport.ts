import net from 'node:net';
import type { Channel, ChannelOpener } from './channel.js';
import { DeviceConnectionError, DeviceOptionError, DeviceWriteError } from './errors.js';

/** TCP settings. */
export interface TcpOptions {
  /** Give up on an attempt after this long without an answer, ms. Default 5000. */
  connectTimeoutMs?: number;
  /**
   * Idle time before TCP keep-alive probes start, ms, so that a device that lost power without
   * closing is noticed even when nothing is written; 0 turns keep-alive off. Default 10 000.
   */
  keepAliveMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_KEEPALIVE_MS = 10_000;

/** Opens TCP connections to host:port, with TCP_NODELAY (commands are small and latency-bound). */
export function tcpOpener(host: string, port: number, options: TcpOptions = {}): ChannelOpener {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEPALIVE_MS;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs <= 0) {
    throw new DeviceOptionError(`tcp.connectTimeoutMs must be a number of milliseconds > 0, got ${String(options.connectTimeoutMs)}`);
  }
  if (!Number.isFinite(keepAliveMs) || keepAliveMs < 0) {
    throw new DeviceOptionError(`tcp.keepAliveMs must be a number of milliseconds >= 0, got ${String(options.keepAliveMs)}`);
  }
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return (handlers, signal) =>
    new Promise<Channel>((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      let open = false;
      let lastError: NodeJS.ErrnoException | undefined;
      let closedByUs = false;
      const timer = setTimeout(() => {
        lastError = Object.assign(new Error(`no answer within ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' });
        socket.destroy();
      }, connectTimeoutMs);
      const onAbort = () => {
        closedByUs = true;
        socket.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // 'close' always follows 'error': the error is only kept to say why.
      socket.on('error', (err) => (lastError = err));
      socket.on('data', (chunk: Buffer) => handlers.data(chunk));
      socket.once('connect', () => {
        clearTimeout(timer);
        open = true;
        if (keepAliveMs > 0) socket.setKeepAlive(true, keepAliveMs);
        resolve(channel);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const reason = describeTcpFailure(where, lastError, open, closedByUs);
        if (!open) reject(reason);
        else if (!closedByUs) handlers.lost(reason);
      });
      const channel: Channel = {
        write: (bytes) =>
          new Promise<void>((done, fail) => {
            socket.write(bytes, (err) => (err ? fail(new DeviceWriteError(`cannot write to tcp://${where}: ${err.message}`, { cause: err })) : done()));
          }),
        close: () =>
          new Promise<void>((done) => {
            closedByUs = true;
            if (socket.closed) return done();
            socket.once('close', () => done());
            socket.destroy();
          }),
      };
    });
}

function describeTcpFailure(where: string, err: NodeJS.ErrnoException | undefined, wasOpen: boolean, byUs: boolean): DeviceConnectionError {
  const code = err?.code;
  const target = `tcp://${where}`;
  if (byUs) return new DeviceConnectionError(`connection to ${target} closed`, 'closed', { cause: err });
  if (!err) return new DeviceConnectionError(`the device at ${target} closed the connection`, 'closed');
  const message =
    code === 'ECONNREFUSED'
      ? `connection to ${target} refused: nothing listens there (device off, or its network control disabled?)`
      : code === 'ETIMEDOUT'
        ? `no answer from ${target} (${err.message}): is the device on and on this network?`
        : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
          ? `${target} is unreachable (${code}): check the address and the network`
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? `host name in ${target} not found (${code}): check the address or the DNS`
            : code === 'ECONNRESET'
              ? `the device at ${target} reset the connection`
              : code === 'EPIPE'
                ? `the device at ${target} went away while we wrote to it`
                : `${wasOpen ? 'connection to' : 'cannot connect to'} ${target} failed: ${err.message}`;
  return new DeviceConnectionError(message, code ?? 'error', { cause: err });
}
