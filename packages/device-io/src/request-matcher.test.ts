import { isMgError } from '@mg/errors';
import { DeviceOptionError, RequestMatchError, RequestTimeoutError } from './errors.js';
import { RequestMatcher, type WaiterOptions } from './request-matcher.js';

function waiter(m: RequestMatcher, options: Partial<WaiterOptions> & Pick<WaiterOptions, 'match'>) {
  let settle: { line?: string; error?: unknown } | undefined;
  const withdraw = m.add({
    timeoutMs: 1000,
    consume: true,
    what: 'amp to "MV?"',
    resolve: (line) => (settle = { line }),
    reject: (error) => (settle = { error }),
    ...options,
  });
  return { withdraw, settled: () => settle };
}

describe('RequestMatcher', () => {
  let m: RequestMatcher;
  beforeEach(() => (m = new RequestMatcher()));
  afterEach(() => m.rejectAll(new Error('end of test')));

  it('gives a line to the waiter whose regular expression matches, and consumes it', () => {
    const w = waiter(m, { match: /^MV\d+$/ });
    expect(m.offer('PWON')).toBe(false);
    expect(m.offer('MV45')).toBe(true);
    expect(w.settled()).toEqual({ line: 'MV45' });
    expect(m.size).toBe(0);
    expect(m.offer('MV46')).toBe(false);
  });

  it('serves the oldest matching waiter first; a function works as a match', () => {
    const first = waiter(m, { match: (l) => l.startsWith('MU') });
    const second = waiter(m, { match: (l) => l.startsWith('MU') });
    m.offer('MUON');
    expect(first.settled()).toEqual({ line: 'MUON' });
    expect(second.settled()).toBeUndefined();
  });

  it('lets the line go on to the line event when consume is false', () => {
    const w = waiter(m, { match: /^PW/, consume: false });
    expect(m.offer('PWON')).toBe(false);
    expect(w.settled()).toEqual({ line: 'PWON' });
  });

  it('a global regular expression gives the same verdict every time', () => {
    const g = /MV/g;
    waiter(m, { match: g });
    waiter(m, { match: g });
    expect(m.offer('MV1')).toBe(true);
    expect(m.offer('MV2')).toBe(true);
  });

  it('rejects with a RequestTimeoutError saying what was asked of whom', async () => {
    const rejected = new Promise<unknown>((resolve) => m.add({ match: /x/, timeoutMs: 20, consume: true, what: 'amp to "MV?"', resolve, reject: resolve }));
    const err = await rejected;
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect((err as Error).message).toBe('no answer from amp to "MV?" within 20 ms');
    expect(m.size).toBe(0);
  });

  it('a match function that throws fails its own request only', () => {
    const bad = waiter(m, {
      match: () => {
        throw new Error('oops');
      },
    });
    const good = waiter(m, { match: /^OK$/ });
    expect(m.offer('OK')).toBe(true);
    expect(bad.settled()?.error).toBeInstanceOf(RequestMatchError);
    expect(isMgError(bad.settled()?.error, 'DEVICE_IO_MATCH_FAILED')).toBe(true);
    expect((bad.settled()?.error as Error).cause).toEqual(new Error('oops'));
    expect(good.settled()).toEqual({ line: 'OK' });
  });

  it('withdraw and rejectAll reject what still waits, once', () => {
    const a = waiter(m, { match: /a/ });
    const b = waiter(m, { match: /b/ });
    a.withdraw(new Error('write failed'));
    a.withdraw(new Error('twice'));
    expect((a.settled()?.error as Error).message).toBe('write failed');
    m.rejectAll(new Error('gone'));
    expect((b.settled()?.error as Error).message).toBe('gone');
  });

  it('refuses a timeout that cannot work', () => {
    expect(() => waiter(m, { match: /x/, timeoutMs: 0 })).toThrow(DeviceOptionError);
  });
});
