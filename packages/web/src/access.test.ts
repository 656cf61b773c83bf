import { hostAllowed, isLoopback, sameToken } from './access.js';
import { startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
afterEach(async () => {
  await w?.g.stop();
  w = undefined;
});

describe('access', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.1', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['gateway.lan', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });

  it.each([
    ['127.0.0.1:8377', true],
    ['localhost:8377', true],
    ['LOCALHOST:8377', true],
    ['[::1]:8377', true],
    ['127.0.0.1:9999', false],
    ['evil.example:8377', false],
    ['127.0.0.1.evil.example:8377', false],
    ['127.0.0.1', false],
    [undefined, false],
  ])('Host %s on a loopback server at port 8377 is let in: %s', (host, allowed) => {
    expect(hostAllowed(host, '127.0.0.1', 8377)).toBe(allowed);
  });

  it('compares tokens whatever their lengths', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken('', 'abc')).toBe(false);
  });

  it('refuses a request whose Host header is another name (DNS rebinding), before anything else', async () => {
    w = await startWebGateway();
    for (const path of ['/api/devices', '/health/live', '/']) {
      const r = await w.get(path, { Host: `rebind.evil.example:${w.port}` });
      expect(r.status).toBe(403);
      expect(r.json()).toMatchObject({ ok: false, reason: 'bad-host' });
    }
    const write = await w.post('/api/devices/avr/power', { value: true }, { Host: `rebind.evil.example:${w.port}`, 'X-MG-Write': '1' });
    expect(write.status).toBe(403);
    expect(w.commands).toEqual([]);
    expect((await w.get('/api/devices', { Host: `localhost:${w.port}` })).status).toBe(200);
  });
});
