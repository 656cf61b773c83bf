import { answerClassifier } from './ask.js';
import { DeviceOptionError } from './errors.js';
import { LineTransport } from './line-transport.js';

describe('answerClassifier', () => {
  const pool = answerClassifier({ ok: /^(?:OK|SETPOINT (?<value>[\d.]+)(?<unit> C)?)$/, refused: /^ERR (?<reason>.*)$/, busy: /^ERR BUSY/ });

  it('sorts a line: busy first, then refused, then ok; undefined for none', () => {
    expect(pool('ERR BUSY')).toEqual({ kind: 'busy' });
    expect(pool('ERR out of range')).toEqual({ kind: 'refused', words: 'out of range' });
    expect(pool('OK')).toEqual({ kind: 'ok', groups: {} });
    expect(pool('TEMP 27.5')).toBeUndefined();
  });

  it('gives the named groups that matched, leaving out those that did not', () => {
    expect(pool('SETPOINT 28.0')).toEqual({ kind: 'ok', groups: { value: '28.0' } });
    expect(pool('SETPOINT 28.0 C')).toEqual({ kind: 'ok', groups: { value: '28.0', unit: ' C' } });
  });

  it("takes the device's words from the reason group, else group 1, else the line; long words are cut", () => {
    expect(answerClassifier({ ok: /^OK$/, refused: /^ERR:(\w+)/ })('ERR:RANGE x')).toEqual({ kind: 'refused', words: 'RANGE' });
    expect(answerClassifier({ ok: /^OK$/, refused: /^E\d+$/ })('E42')).toEqual({ kind: 'refused', words: 'E42' });
    expect(answerClassifier({ ok: /^OK$/, refused: /^ERR ?(.*)$/ })('ERR')).toEqual({ kind: 'refused', words: 'ERR' });
    const long = answerClassifier({ ok: /^OK$/, refused: /^ERR (.*)$/ })(`ERR ${'x'.repeat(200)}`);
    expect(long).toEqual({ kind: 'refused', words: `${'x'.repeat(120)}...` });
  });

  it('gives the same verdict every time for /g and /y expressions', () => {
    const sort = answerClassifier({ ok: /OK/g, refused: /ERR (.*)/gy, busy: /BUSY/g });
    for (let i = 0; i < 3; i++) {
      expect(sort('OK')).toEqual({ kind: 'ok', groups: {} });
      expect(sort('ERR x')).toEqual({ kind: 'refused', words: 'x' });
      expect(sort('xERR x')).toBeUndefined(); // sticky: at the start only
      expect(sort('BUSY')).toEqual({ kind: 'busy' });
    }
  });

  it('takes functions for ok and busy', () => {
    const sort = answerClassifier({ ok: (l) => l === 'YES', busy: (l) => l === 'WAIT' });
    expect([sort('YES'), sort('WAIT'), sort('NO')]).toEqual([{ kind: 'ok', groups: {} }, { kind: 'busy' }, undefined]);
  });
});

describe('ask() options', () => {
  const t = new LineTransport({ address: 'tcp://127.0.0.1:9', name: 'pool' });

  it.each([
    [{ ok: 'OK' }, /ask\(\): ok must be a RegExp or a \(line\) => boolean function, got OK/],
    [{ ok: /OK/, refused: 'ERR' }, /refused must be a RegExp, got ERR/],
    [{ ok: /OK/, busy: 3 }, /busy must be a RegExp or a \(line\) => boolean function, got 3/],
    [{ ok: /OK/, timeoutMs: 0 }, /timeoutMs must be a number of milliseconds > 0, got 0/],
    [{ ok: /OK/, busyRetries: 1.5 }, /busyRetries must be a whole number >= 0, got 1.5/],
    [{ ok: /OK/, busyDelayMs: -1 }, /busyDelayMs must be a number of milliseconds >= 0, got -1/],
  ])('%p is a programming error: rejected with a DeviceOptionError', async (options, message) => {
    const result = t.ask('X', options as never);
    await expect(result).rejects.toThrow(DeviceOptionError);
    await expect(result).rejects.toThrow(message);
  });

  it('resolves, not rejects, when the device is not connected', async () => {
    await expect(t.ask('PUMP ON', { ok: /^OK$/ })).resolves.toEqual({
      ok: false,
      kind: 'not-connected',
      reason: 'the device is not connected',
      detail: 'cannot send "PUMP ON" to pool: not connected; commands are not kept for later, send them on the \'connected\' state',
      attempts: 0,
    });
  });
});
