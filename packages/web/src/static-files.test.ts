import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_DIR } from './static-files.js';
import { request, startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'web-static-'));
  // The page's folder inside a folder that holds a secret: what a traversal would reach.
  mkdirSync(join(dir, 'public'));
  writeFileSync(join(dir, 'secret.txt'), 'Do-not-serve-4711');
  writeFileSync(join(dir, 'public', 'index.html'), '<!doctype html><title>gw</title>');
  writeFileSync(join(dir, 'public', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'public', 'style.css'), 'body{}');
  writeFileSync(join(dir, 'public', '.env'), 'Do-not-serve-4711');
});
afterEach(async () => {
  await w?.g.stop();
  w = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('static files of the page', () => {
  it('are found in packages/web/public, next to dist/ and src/', () => {
    expect(PUBLIC_DIR).toBe(join(__dirname, '..', 'public'));
  });

  it('serves / as index.html with its policy, and app.js and style.css with their types', async () => {
    w = await startWebGateway({ publicDir: join(dir, 'public') });
    const index = await w.get('/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<title>gw</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await w.get('/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await w.get('/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await request(w.port, '/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/app.js%00.css',
    '/.env',
    '/missing.js',
    '/public/index.html',
  ])('never serves what is outside the folder or not a page file: %s', async (path) => {
    w = await startWebGateway({ publicDir: join(dir, 'public') });
    const r = await w.get(path);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.text).not.toContain('Do-not-serve-4711');
    expect(r.json()).toMatchObject({ ok: false });
  });

  it('answers 404 for the page when the folder has none', async () => {
    w = await startWebGateway({ publicDir: join(dir, 'nothing-here') });
    const r = await w.get('/');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ ok: false, reason: 'not-found' });
  });
});
