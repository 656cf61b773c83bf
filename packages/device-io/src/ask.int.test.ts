import type { AskResult } from './ask.js';
import type { StateChange } from './events.js';
import { LineTransport } from './line-transport.js';
import type { LineTransportOptions } from './options.js';
import { TcpDevice } from './test-support/tcp-device.js';
import { waitFor } from './test-support/wait.js';

// ask() against a real TCP server playing a pool controller: `OK`, `ERR <why>`, `ERR BUSY`.
jest.setTimeout(15_000);

const open: LineTransport[] = [];
const devices: TcpDevice[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

const POOL = { ok: /^(?:OK|SETPOINT (?<value>[\d.]+))$/, refused: /^ERR (?<reason>.*)$/, busy: /^ERR BUSY/ };

async function pool(answer: (line: string) => string | undefined, options: Partial<LineTransportOptions> = {}) {
  const d = await TcpDevice.start();
  devices.push(d);
  d.answer = (line) => {
    const a = answer(line);
    return a === undefined ? undefined : `${a}\r`;
  };
  const t = new LineTransport({ address: `tcp://127.0.0.1:${d.port}`, framing: { terminator: '\r' }, reconnect: { minMs: 40, maxMs: 200 }, ...options });
  open.push(t);
  const states: StateChange[] = [];
  const lines: string[] = [];
  t.on('state', (s) => states.push(s));
  t.on('line', (l) => lines.push(l));
  t.start();
  await waitFor(() => t.state === 'connected', 'the connection');
  return { d, t, states, lines };
}

it('an acceptance resolves ok with the named groups of the pattern', async () => {
  const { t } = await pool((line) => (line === 'SETPOINT?' ? 'SETPOINT 28.0' : 'OK'));
  await expect(t.ask('SETPOINT?', POOL)).resolves.toEqual({ ok: true, line: 'SETPOINT 28.0', groups: { value: '28.0' }, attempts: 1 });
  await expect(t.ask('PUMP ON', POOL)).resolves.toEqual({ ok: true, line: 'OK', groups: {}, attempts: 1 });
  await expect(t.ask('PUMP ON', { ok: (l) => l === 'OK' })).resolves.toEqual({ ok: true, line: 'OK', groups: {}, attempts: 1 });
});

it("a refusal resolves with the device's words in a reason for the sender, the line and a detail for the log", async () => {
  const { t, d } = await pool((line) => (line.startsWith('SETPOINT') ? 'ERR SETPOINT out of range' : 'ERR'));
  const r = await t.ask('SETPOINT 99', POOL);
  expect(r).toEqual({
    ok: false,
    kind: 'refused',
    reason: 'refused by the device: SETPOINT out of range',
    detail: expect.stringMatching(
      new RegExp(`^"SETPOINT 99" to tcp://127\\.0\\.0\\.1:${d.port} refused after \\d+ ms \\(attempt 1\\): "ERR SETPOINT out of range"$`),
    ),
    line: 'ERR SETPOINT out of range',
    attempts: 1,
  });
  // Group 1 when there is no `reason` group; the whole line when the group is empty or absent.
  expect(await reasonOf(t.ask('SETPOINT 99', { ok: /^OK$/, refused: /^ERR (.*)$/ }))).toBe('refused by the device: SETPOINT out of range');
  expect(await reasonOf(t.ask('SETPOINT 99', { ok: /^OK$/, refused: /^ERR/ }))).toBe('refused by the device: ERR SETPOINT out of range');
  expect(await reasonOf(t.ask('PUMP ON', { ok: /^OK$/, refused: /^ERR ?(.*)$/ }))).toBe('refused by the device: ERR');
  // Only the command that got no answer was sent more than once: none here.
  expect(d.received.map((r) => r.text)).toEqual(['SETPOINT 99', 'SETPOINT 99', 'SETPOINT 99', 'PUMP ON']);
});

it('a busy answer sends the command again after busyDelayMs, and an acceptance then is ok with the attempts counted', async () => {
  let busy = 2;
  const { t, d } = await pool(() => (busy-- > 0 ? 'ERR BUSY' : 'OK'));
  const r = await t.ask('PUMP ON', { ...POOL, busyDelayMs: 150 });
  expect(r).toEqual({ ok: true, line: 'OK', groups: {}, attempts: 3 });
  expect(d.received.map((x) => x.text)).toEqual(['PUMP ON', 'PUMP ON', 'PUMP ON']);
  // Measured where the device reads them: a late read can shorten a gap only by the lateness
  // of the first, so the sum is the robust bound.
  const at = d.received.map((x) => x.at);
  expect(at[2]! - at[0]!).toBeGreaterThanOrEqual(2 * 150 - 20);
});

it('a device that stays busy gives a busy result after busyRetries + 1 attempts', async () => {
  const { t, d } = await pool(() => 'ERR BUSY');
  const r = await t.ask('PUMP ON', { ...POOL, busyRetries: 2, busyDelayMs: 20 });
  expect(r).toMatchObject({ ok: false, kind: 'busy', reason: 'the device stayed busy after 3 attempts', line: 'ERR BUSY', attempts: 3 });
  expect(d.received).toHaveLength(3);
  await expect(t.ask('PUMP ON', { ...POOL, busyRetries: 0 })).resolves.toMatchObject({ kind: 'busy', reason: 'the device is busy', attempts: 1 });
  // Without a busy pattern, ERR BUSY is a refusal like another.
  await expect(t.ask('PUMP ON', { ok: /^OK$/, refused: POOL.refused })).resolves.toMatchObject({ kind: 'refused', reason: 'refused by the device: BUSY' });
});

it('a line that fits several patterns is busy first, then refused, then ok', async () => {
  const { t } = await pool((line) => line);
  const any = /.*/;
  await expect(t.ask('ERR BUSY', { ok: any, refused: /^ERR (.*)/, busy: /BUSY/, busyRetries: 0 })).resolves.toMatchObject({ kind: 'busy' });
  await expect(t.ask('ERR NO', { ok: any, refused: /^ERR (.*)/, busy: /BUSY/ })).resolves.toMatchObject({
    kind: 'refused',
    reason: 'refused by the device: NO',
  });
  await expect(t.ask('FINE', { ok: any, refused: /^ERR (.*)/, busy: /BUSY/ })).resolves.toMatchObject({ ok: true, line: 'FINE' });
});

it('lines that fit no pattern go to the line event; with consume: false the answer does too', async () => {
  const { t, d, lines } = await pool((line) => (line === 'PUMP ON' ? 'TEMP 27.5\rOK' : undefined));
  await expect(t.ask('PUMP ON', POOL)).resolves.toMatchObject({ ok: true, line: 'OK' });
  await waitFor(() => lines.includes('TEMP 27.5'), 'the unsolicited line');
  expect(lines).toEqual(['TEMP 27.5']);
  await expect(t.ask('PUMP ON', { ...POOL, consume: false })).resolves.toMatchObject({ ok: true, line: 'OK' });
  await waitFor(() => lines.includes('OK'), 'the answer on the line event');
  expect(d.received).toHaveLength(2);
});

it('no answer is a timeout result, worded in seconds for the sender', async () => {
  const { t } = await pool(() => undefined, { requestTimeoutMs: 1_500 });
  const r = await t.ask('STATUS?', POOL);
  expect(r).toMatchObject({ ok: false, kind: 'timeout', reason: 'no answer from the device within 1.5 s', attempts: 1 });
  expect(!r.ok && r.detail).toMatch(/^no answer from tcp:\/\/127\.0\.0\.1:\d+ to "STATUS\?" within 1500 ms$/);
  await expect(t.ask('STATUS?', { ...POOL, timeoutMs: 100 })).resolves.toMatchObject({ kind: 'timeout', reason: 'no answer from the device within 100 ms' });
});

it('a connection lost before the answer, and a device not connected, are results', async () => {
  const { t, d } = await pool(() => undefined);
  const pending = t.ask('PUMP ON', { ...POOL, timeoutMs: 10_000 });
  await waitFor(() => d.received.length === 1, 'the command at the device');
  d.hangUp();
  await expect(pending).resolves.toMatchObject({
    ok: false,
    kind: 'not-connected',
    reason: 'the connection to the device was lost before it answered',
    attempts: 1,
  });
  await d.close();
  await waitFor(() => t.state === 'disconnected', 'the disconnected state');
  const r = await t.ask('PUMP ON', POOL);
  expect(r).toMatchObject({ ok: false, kind: 'not-connected', reason: 'the device is not connected', attempts: 0 });
  // The advice for the author stays in the log detail.
  expect(!r.ok && r.detail).toMatch(/^cannot send "PUMP ON" to .*: not connected \(.*\); commands are not kept for later/);
});

it('stop() ends an ask waiting for its answer or between busy attempts with a stopped result', async () => {
  // The first ask's patterns do not fit the second's answer: a line goes to the oldest request it fits.
  const { t, d } = await pool((line) => (line === 'BUSY' ? 'ERR BUSY' : undefined));
  const waiting = t.ask('SILENT', { ok: /^QUIET$/, timeoutMs: 10_000 });
  const between = t.ask('BUSY', { ...POOL, busyDelayMs: 10_000 });
  await waitFor(() => d.received.length === 2, 'both commands at the device');
  await t.stop();
  await expect(waiting).resolves.toMatchObject({ ok: false, kind: 'stopped', reason: 'the gateway closed the connection to the device before it answered' });
  // Resolved at once, not after the 10 s delay (the test's own timeout is 15 s).
  await expect(between).resolves.toMatchObject({ ok: false, kind: 'stopped', reason: 'the gateway has closed the connection to the device', attempts: 1 });
  await expect(t.ask('X', POOL)).resolves.toMatchObject({ kind: 'stopped', attempts: 0 });
});

it('rejects with the reason of its signal when it aborts, waiting or between busy attempts', async () => {
  const { t, d } = await pool((line) => (line === 'BUSY' ? 'ERR BUSY' : undefined));
  const one = new AbortController();
  const waiting = t.ask('SILENT', { ok: /^QUIET$/, timeoutMs: 10_000, signal: one.signal });
  const two = new AbortController();
  const between = t.ask('BUSY', { ...POOL, busyDelayMs: 10_000, signal: two.signal });
  await waitFor(() => d.received.length === 2, 'both commands at the device');
  one.abort(new Error('poll timed out'));
  two.abort(new Error('poll stopped'));
  await expect(waiting).rejects.toThrow('poll timed out');
  await expect(between).rejects.toThrow('poll stopped');
  expect(t.pendingRequests).toBe(0);
  await expect(t.ask('X', { ...POOL, signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
});

it('a match function that throws is a failed result, not a throw', async () => {
  const { t } = await pool(() => 'OK');
  const r = await t.ask('PUMP ON', {
    ok: () => {
      throw new Error('bug in the pattern');
    },
  });
  expect(r).toMatchObject({ ok: false, kind: 'failed', reason: "the gateway could not read the device's answer", attempts: 1 });
  expect(!r.ok && r.detail).toMatch(/the match function of a request to .* threw: bug in the pattern/);
});

async function reasonOf(result: Promise<AskResult>): Promise<string> {
  const r = await result;
  return r.ok ? 'accepted' : r.reason;
}

it('many asks waiting between busy answers at once are each sent again and answered', async () => {
  const seen = new Map<string, number>();
  const { t } = await pool((line) => {
    seen.set(line, (seen.get(line) ?? 0) + 1);
    return seen.get(line) === 1 ? `ERR BUSY ${line}` : `OK ${line}`;
  });
  const asks = Array.from({ length: 15 }, (_, i) =>
    t.ask(`C${i}`, { ok: new RegExp(`^OK C${i}$`), busy: new RegExp(`^ERR BUSY C${i}$`), busyDelayMs: 50, timeoutMs: 5_000 }),
  );
  const results = await Promise.all(asks);
  expect(results.map((r) => (r.ok ? r.attempts : r.reason))).toEqual(Array.from({ length: 15 }, () => 2));
});
