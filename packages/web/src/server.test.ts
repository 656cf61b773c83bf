import { connect, createServer } from 'node:net';
import { createTestGateway } from '@mg/core/testing';
import { web, webExtension } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';
import { request, startWebGateway } from './test-support/web-gateway.js';

describe('the web server of a gateway', () => {
  it('is off unless [WEB] enabled is on', async () => {
    const g = createTestGateway(AvInterface, { extensions: [web] });
    await g.start();
    expect(g.logs.some((l) => l.includes('web page at'))).toBe(false);
    await g.stop();
  });

  it('says its address once listening, and closes it (streams included) when the gateway stops', async () => {
    const w = await startWebGateway();
    expect(w.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(w.g.logs).toContain(`INFO testgw.web: web page at ${w.url}`);
    await w.g.stop();
    await expect(request(w.port, '/health/live')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails the start with [WEB] port named when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const g = createTestGateway(AvInterface, { config: { WEB: { enabled: 'on', port } }, extensions: [webExtension()] });
      await expect(g.start()).rejects.toThrow(`[WEB] cannot listen on 127.0.0.1:${port}: port ${port} is in use (set [WEB] port, or 0 for any free port)`);
      await g.stop();
    } finally {
      taken.close();
    }
  });

  it('answers a request it cannot read with 400, and goes on', async () => {
    const w = await startWebGateway();
    const reply = await new Promise<string>((resolve) => {
      const s = connect(w.port, '127.0.0.1', () => s.write('GARBAGE \x00\x01 HTTP/9\r\n\r\n'));
      let text = '';
      s.on('data', (d) => (text += d.toString()));
      s.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await w.get('/health/live')).status).toBe(200);
    await w.g.stop();
  });
});
