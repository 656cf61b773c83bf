import { connect, createServer, type Server, type Socket } from 'node:net';
import { waitFor } from './ports.js';
import { startTcpProxy, type ProxyData, type TcpProxy } from './tcp-proxy.js';

// The relay against a real TCP echo server: what a campaign's faults rely on.
let echo: Server;
let echoPort: number;
const serverSockets = new Set<Socket>();
let proxy: TcpProxy;
const seen: ProxyData[] = [];
const events: string[] = [];

beforeAll(async () => {
  echo = createServer((s) => {
    serverSockets.add(s);
    s.on('close', () => serverSockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => echo.close(() => r())));

beforeEach(async () => {
  seen.length = 0;
  events.length = 0;
  proxy = await startTcpProxy(echoPort, '127.0.0.1', { onData: (d) => seen.push(d), onConnection: (c, e) => events.push(`${c} ${e}`) });
});
afterEach(() => proxy.close());

/** A client through the relay, collecting what comes back. */
async function client(): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  const socket = connect({ port: proxy.port, host: '127.0.0.1' });
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise((r) => socket.once('connect', r));
  return { socket, received: () => text, closed: () => closed };
}

test('relays both ways and shows each chunk in (read) and out (written)', async () => {
  const c = await client();
  c.socket.write('hello');
  await waitFor(() => c.received() === 'hello', 'the echo');
  const stages = seen.map((d) => `${d.direction}:${d.stage}:${d.chunk.toString()}`);
  expect(stages).toEqual(['up:in:hello', 'up:out:hello', 'down:in:hello', 'down:out:hello']);
  c.socket.destroy();
  await waitFor(() => events.includes('1 close'), 'the close');
  expect(events[0]).toBe('1 open');
});

test('latency with jitter delays every chunk and keeps their order', async () => {
  const c = await client();
  proxy.setLatency({ ms: 50, jitterMs: 100, random: Math.random });
  const started = Date.now();
  const parts = Array.from({ length: 30 }, (_, i) => `<${i}>`);
  for (const p of parts) c.socket.write(p);
  await waitFor(() => c.received().length === parts.join('').length, 'every part back', 10_000);
  expect(c.received()).toBe(parts.join(''));
  expect(Date.now() - started).toBeGreaterThanOrEqual(100); // 50 ms at least, each way
  proxy.setLatency(undefined);
  c.socket.write('!');
  await waitFor(() => c.received().endsWith('!'), 'the last one');
  c.socket.destroy();
});

test('silent loss swallows bytes and closes both ways; when it ends the damaged link is reset, an idle one goes on', async () => {
  const idle = await client();
  const busy = await client();
  await waitFor(() => serverSockets.size === 2, 'both connections at the server');
  proxy.setLoss(true);
  busy.socket.write('lost');
  await waitFor(() => seen.some((d) => d.stage === 'in' && d.chunk.toString() === 'lost'), 'the bytes read by the relay');
  // The client gives up: the server is not told while the loss lasts.
  const beforeClose = serverSockets.size;
  busy.socket.destroy();
  await waitFor(() => events.includes('2 client-closed'), 'the client side closing');
  expect(serverSockets.size).toBe(beforeClose);
  expect(busy.received()).toBe('');
  proxy.setLoss(false);
  await waitFor(() => serverSockets.size === 1, 'the damaged link reset at the server');
  idle.socket.write('still here');
  await waitFor(() => idle.received() === 'still here', 'the idle link working');
  idle.socket.destroy();
});

test('cut drops every connection and refuses new ones; restore accepts again', async () => {
  const c = await client();
  await proxy.cut();
  await waitFor(() => c.closed(), 'the connection dropped');
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect({ port: proxy.port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
  expect(refused).toBe(true);
  await proxy.restore();
  const again = await client();
  again.socket.write('back');
  await waitFor(() => again.received() === 'back', 'the echo after restore');
  again.socket.destroy();
});
