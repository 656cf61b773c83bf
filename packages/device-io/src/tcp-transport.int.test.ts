import { isMgError } from '@mg/errors';
import { DeviceNotConnectedError, RequestTimeoutError, type DeviceIoError } from './errors.js';
import type { RetryInfo, StateChange } from './events.js';
import type { OverflowInfo } from './framer.js';
import { LineTransport } from './line-transport.js';
import type { LineTransportOptions } from './options.js';
import { freePort, TcpDevice } from './test-support/tcp-device.js';
import { startTimingDevice } from './test-support/timing-device.js';
import { sleep, waitFor } from './test-support/wait.js';

// A real TCP server on 127.0.0.1 plays the device; nothing is mocked.
jest.setTimeout(10_000);

const FAST_RECONNECT = { minMs: 40, maxMs: 200 };

interface Probe {
  t: LineTransport;
  states: StateChange[];
  lines: string[];
  retries: RetryInfo[];
  errors: DeviceIoError[];
  overflows: OverflowInfo[];
}

const open: LineTransport[] = [];
const devices: TcpDevice[] = [];

function transport(port: number, options: Partial<LineTransportOptions> = {}): Probe {
  const t = new LineTransport({ address: `tcp://127.0.0.1:${port}`, framing: { terminator: '\r' }, reconnect: FAST_RECONNECT, ...options });
  const probe: Probe = { t, states: [], lines: [], retries: [], errors: [], overflows: [] };
  t.on('state', (s) => probe.states.push(s));
  t.on('line', (l) => probe.lines.push(l));
  t.on('retry', (r) => probe.retries.push(r));
  t.on('error', (e) => probe.errors.push(e));
  t.on('overflow', (o) => probe.overflows.push(o));
  open.push(t);
  return probe;
}

async function device(port = 0): Promise<TcpDevice> {
  const d = await TcpDevice.start(port);
  devices.push(d);
  return d;
}

async function connected(p: Probe, count = 1): Promise<void> {
  await waitFor(() => p.states.filter((s) => s.state === 'connected').length >= count, `connection #${count}`);
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

it('carries lines both ways, with the send terminator appended', async () => {
  const d = await device();
  const p = transport(d.port);
  p.t.start();
  await connected(p);
  d.send('PWON\rMV45\r');
  await waitFor(() => p.lines.length === 2, 'two lines');
  expect(p.lines).toEqual(['PWON', 'MV45']);
  await p.t.write('MUON');
  await p.t.write(Buffer.from('MVUP'));
  await waitFor(() => d.received.length === 2, 'two commands at the device');
  expect(d.received.map((r) => r.text)).toEqual(['MUON', 'MVUP']);
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  expect(p.errors).toEqual([]);
});

it('reassembles lines whose terminator and text arrive split across reads', async () => {
  const d = await device();
  const p = transport(d.port, { framing: { terminator: ['\r\n', '\r'] } });
  p.t.start();
  await connected(p);
  for (const piece of ['MV4', '5\r', '\nSI', 'CD\r', '\n']) {
    d.send(piece);
    await sleep(15); // separate writes on a NODELAY socket: separate reads
  }
  await waitFor(() => p.lines.length === 2, 'two lines');
  expect(p.lines).toEqual(['MV45', 'SICD']);
});

it('drops an over-long line, reports it once, and reads the next line', async () => {
  const d = await device();
  const p = transport(d.port, { framing: { terminator: '\r', maxLineBytes: 64 } });
  p.t.start();
  await connected(p);
  for (let i = 0; i < 20; i++) d.send('x'.repeat(1000));
  d.send('\rOK\r');
  await waitFor(() => p.lines.length === 1, 'the line after the long one');
  expect(p.lines).toEqual(['OK']);
  expect(p.overflows).toEqual([{ maxLineBytes: 64, head: 'x'.repeat(32) }]);
});

it('waits for a device absent at start, without throwing, and connects when it appears', async () => {
  const port = await freePort();
  const p = transport(port);
  p.t.start();
  await waitFor(() => p.retries.length >= 3, 'three failed attempts');
  const down = p.states[1];
  expect(down?.state).toBe('disconnected');
  if (down?.state !== 'disconnected') return;
  expect(down.error.reason).toBe('ECONNREFUSED');
  expect(down.reason).toMatch(/connection to tcp:\/\/127\.0\.0\.1:\d+ refused: nothing listens there/);
  expect(down.retryInMs).toBeGreaterThanOrEqual(20);
  // Growing delays, each attempt counted; the state changed once.
  expect(p.retries.map((r) => r.attempt)).toEqual(p.retries.map((_, i) => i + 1));
  await expect(p.t.write('PWON')).rejects.toThrow(/not connected \(connection to .* refused/);

  const d = await device(port);
  await connected(p);
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'disconnected', 'connected']);
  await p.t.write('PWON');
  await waitFor(() => d.received.length === 1, 'the command at the device');
  expect(p.errors).toEqual([]);
});

it('notices the device closing, rejects what waited, and reconnects when it comes back', async () => {
  const d = await device();
  const port = d.port;
  // The spacing keeps the second write queued until the device closes.
  const p = transport(port, { spacingMs: 5_000 });
  p.t.start();
  await connected(p);
  const answer = p.t.request('MV?', { match: /^MV/, timeoutMs: 5_000 });
  const queued = p.t.write('queued behind the request');
  await waitFor(() => d.received.length === 1, 'the request at the device');

  await d.close();
  await expect(answer).rejects.toThrow(DeviceNotConnectedError);
  await expect(queued).rejects.toThrow(/connection to tcp:\/\/127\.0\.0\.1:\d+ lost before the write or answer: the device at .* closed the connection/);
  await waitFor(() => p.t.state === 'disconnected', 'the disconnected state');
  await waitFor(() => p.retries.length >= 2, 'attempts while the device is gone');
  await expect(p.t.write('while away')).rejects.toThrow(DeviceNotConnectedError);

  await d.listen();
  await connected(p, 2);
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
  d.send('PWON\r');
  await waitFor(() => p.lines.includes('PWON'), 'a line after the reconnection');
  expect(p.errors).toEqual([]);
});

it('keeps the spacing between commands under a burst', async () => {
  const d = await startTimingDevice();
  try {
    const p = transport(d.port, { spacingMs: 20, maxQueuedWrites: 64 });
    p.t.start();
    await connected(p);
    await Promise.all(Array.from({ length: 50 }, (_, i) => p.t.write(`CMD${i}`)));
    let arrivals: { text: string; at: number }[] = [];
    const deadline = Date.now() + 20_000;
    while ((arrivals = await d.arrivals()).length < 50 && Date.now() < deadline) await sleep(20);
    expect(arrivals.map((r) => r.text)).toEqual(Array.from({ length: 50 }, (_, i) => `CMD${i}`));
    // Measured where the device reads them, which a busy machine makes late: a stall reads the
    // lines sent meanwhile at once (gaps of 0), so single gaps prove nothing. What a late read
    // cannot do is make line k arrive earlier than k spacings after line 0 was sent; it can only
    // make line 0 itself read late, by `early` at most. Sent without spacing, line 49 would be
    // ~980 ms early; with half of it, ~490 ms.
    const early = Math.max(...arrivals.map((r, k) => k * 20 - (r.at - arrivals[0]!.at)));
    expect(early).toBeLessThanOrEqual(300);
  } finally {
    await d.close();
  }
});

it('matches an answer to its request; other lines still reach the line event; no answer is a timeout', async () => {
  const d = await device();
  d.answer = (line) => (line === 'MV?' ? 'PWON\rMV455\r' : undefined);
  const p = transport(d.port);
  p.t.start();
  await connected(p);
  await expect(p.t.request('MV?', { match: /^MV\d+$/ })).resolves.toBe('MV455');
  await waitFor(() => p.lines.length === 1, 'the unsolicited line');
  expect(p.lines).toEqual(['PWON']);

  const silent = p.t.request('SI?', { match: /^SI/, timeoutMs: 100 });
  await expect(silent).rejects.toThrow(RequestTimeoutError);
  await expect(silent).rejects.toThrow(`no answer from tcp://127.0.0.1:${d.port} to "SI?" within 100 ms`);
  expect(p.t.pendingRequests).toBe(0);

  // consume: false gives the answer to both.
  await expect(p.t.request('MV?', { match: (l) => l.startsWith('MV'), consume: false })).resolves.toBe('MV455');
  await waitFor(() => p.lines.includes('MV455'), 'the answer on the line event too');
});

it('gives up a request when its signal aborts: rejected with the reason, a later answer a plain line, a queued command not written', async () => {
  const d = await device();
  d.answer = (line) => (line === 'SLOW?' ? undefined : `${line.slice(0, -1)}=1\r`);
  const p = transport(d.port, { spacingMs: 200 });
  p.t.start();
  await connected(p);
  const waiting = new AbortController();
  const slow = p.t.request('SLOW?', { match: /^SLOW=/, signal: waiting.signal });
  await waitFor(() => d.received.length === 1, 'the request at the device');
  const queued = new AbortController();
  const never = p.t.request('NEVER?', { match: /^NEVER=/, signal: queued.signal }); // waits 200 ms for its turn
  waiting.abort(new Error('poll timed out'));
  queued.abort(new Error('poll stopped'));
  await expect(slow).rejects.toThrow('poll timed out');
  await expect(never).rejects.toThrow('poll stopped');
  expect(p.t.pendingRequests).toBe(0);
  d.send('SLOW=7\r');
  await waitFor(() => p.lines.includes('SLOW=7'), 'the late answer as a line');
  await expect(p.t.request('NEXT?', { match: /^NEXT=/ })).resolves.toBe('NEXT=1');
  expect(d.received.map((r) => r.text)).toEqual(['SLOW?', 'NEXT?']);
});

it('contains a listener that throws: reported as an error event, or logged when nobody listens (that log line checked on purpose: it is the only report)', async () => {
  const d = await device();
  const p = transport(d.port);
  p.t.on('line', (line) => {
    if (line === 'BOOM') throw new Error('bug in the interface');
  });
  p.t.start();
  await connected(p);
  d.send('BOOM\rAFTER\r');
  await waitFor(() => p.lines.includes('AFTER'), 'the line after the throw');
  expect(p.errors.map((e) => [e.code, e.message])).toEqual([['DEVICE_IO_LISTENER_FAILED', expect.stringContaining("a 'line' listener of tcp://127.0.0.1")]]);

  const logged: string[] = [];
  const q = new LineTransport({ address: `tcp://127.0.0.1:${d.port}`, framing: { terminator: '\r' }, logger: { error: (m) => logged.push(m) } });
  open.push(q);
  q.on('line', () => {
    throw new Error('again');
  });
  q.start();
  await waitFor(() => q.state === 'connected', 'the second transport');
  d.send('X\r');
  await waitFor(() => logged.length === 1, 'the logged listener error');
  expect(logged[0]).toMatch(/a 'line' listener of .* threw: again/);
});

it('stop() closes the connection and ends the attempts', async () => {
  const d = await device();
  const p = transport(d.port);
  const controller = new AbortController();
  p.t.start(controller.signal);
  await connected(p);
  controller.abort();
  await waitFor(() => p.t.state === 'stopped', 'the stopped state');
  await p.t.stop();
  await waitFor(() => d.clients === 0, 'the device to see the connection closed');
  await sleep(300);
  expect(d.connections).toBe(1);
  expect(p.states.map((s) => s.state)).toEqual(['connecting', 'connected', 'stopped']);
  expect(isMgError(await p.t.write('x').catch((e: unknown) => e), 'DEVICE_IO_STOPPED')).toBe(true);
});
