import { DeviceAddressError, DeviceNotConnectedError, DeviceOptionError, DeviceStoppedError } from './errors.js';
import type { StateChange } from './events.js';
import { LineTransport } from './line-transport.js';

// Behaviour that needs no device; the rest is in the *.int.test.ts files, against real sockets and ptys.
describe('LineTransport without a device', () => {
  it('refuses a bad address or options when constructed', () => {
    expect(() => new LineTransport({ address: 'udp://x:1' })).toThrow(DeviceAddressError);
    expect(() => new LineTransport({ address: 'tcp://x:1', spacingMs: -5 })).toThrow(DeviceOptionError);
    expect(() => new LineTransport({ address: 'tcp://x:1', encoding: 'utf16le' as never })).toThrow(/encoding/);
    expect(() => new LineTransport({ address: 'tcp://x:1', reconnect: { minMs: 0 } })).toThrow(/reconnect delays/);
    expect(() => new LineTransport({ address: 'tcp://x:1', requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
    expect(() => new LineTransport({ address: 'tcp://x:1', tcp: { connectTimeoutMs: -1 } })).toThrow(/connectTimeoutMs/);
    expect(() => new LineTransport({ address: 'tcp://x:1', reconnect: { settleMs: -1 } })).toThrow(
      /reconnect.settleMs must be a number of milliseconds >= 0, got -1/,
    );
    expect(() => new LineTransport({ address: 'tcp://x:1', framing: { terminator: [] } })).toThrow(/framing terminator must be a non-empty string/);
  });

  it('is idle until started, and rejects writes at once while not connected', async () => {
    const t = new LineTransport({ address: 'tcp://127.0.0.1:9', name: 'amp' });
    expect(t.state).toBe('idle');
    await expect(t.write('PWON')).rejects.toThrow(DeviceNotConnectedError);
    await expect(t.request('PW?', { match: /^PW/ })).rejects.toThrow(/cannot send "PW\?" to amp: not connected/);
    expect(t.queuedWrites).toBe(0);
  });

  it('stops for good: states, writes refused, start refused, stop idempotent', async () => {
    const t = new LineTransport({ address: 'tcp://127.0.0.1:9' });
    const states: StateChange[] = [];
    t.on('state', (s) => states.push(s));
    const first = t.stop();
    expect(t.stop()).toBe(first);
    await first;
    expect(states).toEqual([{ state: 'stopped', address: 'tcp://127.0.0.1:9' }]);
    await expect(t.write('x')).rejects.toThrow(DeviceStoppedError);
    expect(() => t.start()).toThrow(/was stopped: create a new transport/);
  });

  it('does not start when given an aborted signal', async () => {
    const t = new LineTransport({ address: 'tcp://127.0.0.1:9' });
    t.start(AbortSignal.abort());
    expect(t.state).toBe('stopped');
  });
});

describe('LineTransport promises', () => {
  // Jest fails a test in which a promise rejection goes unhandled, so this also proves there is none.
  it('a failed write nobody awaits is logged at DEBUG, never an unhandled rejection', async () => {
    const debug: string[] = [];
    const t = new LineTransport({ address: 'tcp://127.0.0.1:9', name: 'amp', logger: { debug: (m) => debug.push(m) } });
    void t.write('PWON');
    void t.request('PW?', { match: /^PW/ });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(debug).toEqual([
      'amp: "PWON" failed: cannot send "PWON" to amp: not connected; commands are not kept for later, send them on the \'connected\' state',
      'amp: "PW?" failed: cannot send "PW?" to amp: not connected; commands are not kept for later, send them on the \'connected\' state',
    ]);
  });
});
