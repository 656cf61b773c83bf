import { readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { DeviceIoError } from './errors.js';
import type { RetryInfo, StateChange } from './events.js';
import { LineTransport } from './line-transport.js';
import type { SerialOptions } from './serial-transport.js';
import { startSocatPair, type SocatPair } from '@mg/test-helpers';
import { waitFor } from './test-support/wait.js';

// A socat pty pair stands for the serial cable: the transport opens one end, the simulated
// device (serialport, as any program would) the other. Killing socat unplugs the device.
jest.setTimeout(15_000);

/** The device end: records what it reads, and can write. */
async function openDevice(path: string): Promise<{ port: SerialPort; received: () => string; close: () => Promise<void> }> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  let received = '';
  port.on('data', (d: Buffer) => (received += d.toString('latin1')));
  port.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return {
    port,
    received: () => received,
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

let pair: SocatPair;
let transport: LineTransport | undefined;
const devices: { close: () => Promise<void> }[] = [];

beforeEach(async () => {
  pair = await startSocatPair();
});

afterEach(async () => {
  await transport?.stop();
  transport = undefined;
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await pair.close();
});

function start(serial: SerialOptions = {}): { states: StateChange[]; lines: string[]; errors: DeviceIoError[] } {
  transport = new LineTransport({
    address: pair.a,
    framing: { terminator: '\r' },
    reconnect: { minMs: 40, maxMs: 200 },
    serial: { baudRate: 9600, ...serial },
  });
  const seen = { states: [] as StateChange[], lines: [] as string[], errors: [] as DeviceIoError[] };
  transport.on('state', (s) => seen.states.push(s));
  transport.on('line', (l) => seen.lines.push(l));
  transport.on('error', (e) => seen.errors.push(e));
  transport.start();
  return seen;
}

it('carries lines both ways over a serial line', async () => {
  const device = await openDevice(pair.b);
  devices.push(device);
  const seen = start();
  await waitFor(() => transport!.state === 'connected', 'the serial port to open');
  device.port.write('PWON\rMV45\r');
  await waitFor(() => seen.lines.length === 2, 'two lines from the device');
  expect(seen.lines).toEqual(['PWON', 'MV45']);
  await transport!.write('MV50');
  device.port.on('data', () => device.received().endsWith('MU?\r') && device.port.write('MUOFF\r'));
  await expect(transport!.request('MU?', { match: /^MU(ON|OFF)$/, timeoutMs: 1_000 })).resolves.toBe('MUOFF');
  expect(device.received()).toBe('MV50\rMU?\r');
  expect(seen.errors).toEqual([]);
});

it('reconnects by itself when the device is unplugged and plugged back under the same name', async () => {
  let device = await openDevice(pair.b);
  devices.push(device);
  const seen = start();
  const retries: RetryInfo[] = [];
  transport!.on('retry', (r) => retries.push(r));
  await waitFor(() => transport!.state === 'connected', 'the serial port to open');

  await pair.kill();
  await waitFor(() => transport!.state === 'disconnected', 'the unplugged device to be noticed');
  const down = seen.states.find((s) => s.state === 'disconnected');
  // serialport reports most hang-ups itself; the rest are caught by the presence check.
  expect(down?.state === 'disconnected' && down.reason).toMatch(new RegExp(`serial device ${pair.a} (disconnected|not found|disappeared)`));
  await expect(transport!.write('PWON')).rejects.toThrow(/not connected/);
  // Away long enough for a few attempts on a path that does not exist.
  await waitFor(() => retries.length >= 3, 'attempts while unplugged');
  expect(retries.slice(1).every((r) => r.error.reason === 'ENOENT')).toBe(true);

  await device.close();
  await pair.restart();
  device = await openDevice(pair.b);
  devices.push(device);
  await waitFor(() => transport!.state === 'connected', 'the reconnection');
  expect(seen.states.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
  device.port.write('PWSTANDBY\r');
  await waitFor(() => seen.lines.includes('PWSTANDBY'), 'a line after the reconnection');
  await transport!.write('PWON');
  await waitFor(() => device.received().includes('PWON\r'), 'a command after the reconnection');
  expect(seen.errors).toEqual([]);
});

it('waits for a device absent at start (no such path) and opens it when it appears', async () => {
  await pair.kill();
  const seen = start();
  await waitFor(() => transport!.state === 'disconnected', 'the missing device to be reported');
  const down = seen.states[1];
  expect(down?.state === 'disconnected' && [down.error.reason, down.reason]).toEqual([
    'ENOENT',
    `serial device ${pair.a} not found (unplugged, or a wrong path?)`,
  ]);
  await pair.restart();
  await waitFor(() => transport!.state === 'connected', 'the device to be opened');
  expect(seen.states.map((s) => s.state)).toEqual(['connecting', 'disconnected', 'connected']);
});

it('notices a device path that disappears even when the port itself reports nothing', async () => {
  const seen = start({ presenceCheckMs: 50 });
  await waitFor(() => transport!.state === 'connected', 'the serial port to open');
  // The pty stays up, only its name goes: what serialport misses when a read loops on end-of-file.
  const target = readlinkSync(pair.a);
  rmSync(pair.a);
  await waitFor(() => transport!.state === 'disconnected', 'the vanished path to be noticed');
  const down = seen.states[2];
  expect(down?.state === 'disconnected' && [down.error.reason, down.reason]).toEqual(['ENOENT', `serial device ${pair.a} disappeared (unplugged?)`]);
  symlinkSync(target, pair.a);
  await waitFor(() => transport!.state === 'connected', 'the path to be opened again');
  expect(seen.states.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected', 'connected']);
});
