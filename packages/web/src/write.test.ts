import { parseWriteBody } from './write.js';
import { request, startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
afterEach(async () => {
  await w?.g.stop();
  w = undefined;
});

const VOLUME = '/api/devices/avr/volume';

describe('writes: POST /api/devices/:device/:capability', () => {
  it("hands a value to the interface as the capability's command, through the checked path", async () => {
    w = await startWebGateway();
    const r = await w.post(VOLUME, { value: -12.5 });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true });
    expect(w.commands.map((m) => [m.action, m.arguments.level])).toEqual([['VOLUME_SET', -12.5]]);
  });

  it('takes a trigger without a body, or with {}', async () => {
    w = await startWebGateway();
    expect((await w.post('/api/devices/avr/mute-toggle', undefined)).status).toBe(200);
    expect((await w.post('/api/devices/avr/mute-toggle', {})).status).toBe(200);
    expect(w.commands.map((m) => m.action)).toEqual(['MUTE_TGL', 'MUTE_TGL']);
  });

  it("refuses a value the capability does not take with the core's reason, counted like any refusal", async () => {
    w = await startWebGateway();
    const r = await w.post(VOLUME, { value: 99 });
    expect(r.status).toBe(400);
    const body = r.json();
    expect(body).toMatchObject({ ok: false, reason: 'invalid-value' });
    expect(String(body.detail)).toMatch(/18/);
    const source = await w.post('/api/devices/avr/source', { value: 'vinyl' });
    expect(source.json()).toMatchObject({ ok: false, reason: 'invalid-value' });
    const readOnly = await w.post('/api/devices/avr/signal', { value: true });
    expect(readOnly.json()).toMatchObject({ ok: false, reason: 'invalid-value' });
    expect(w.g.counters.rejected['invalid-value']).toBe(3);
    expect(w.commands).toEqual([]);
  });

  it('answers 404 for a device or capability that is not declared', async () => {
    w = await startWebGateway();
    const device = await w.post('/api/devices/tv/power', { value: true });
    expect(device.status).toBe(404);
    expect(device.json()).toEqual({ ok: false, reason: 'not-found', detail: 'no device "tv"' });
    const cap = await w.post('/api/devices/avr/treble', { value: 1 });
    expect(cap.status).toBe(404);
    expect(cap.json()).toEqual({ ok: false, reason: 'not-found', detail: 'device "avr" has no capability "treble"' });
  });

  it.each<[string, Record<string, string>, string | undefined, number, string]>([
    ['without X-MG-Write (a cross-site form cannot send it)', { 'Content-Type': 'application/json' }, '{"value":1}', 403, 'forbidden'],
    ['as a form', { 'Content-Type': 'application/x-www-form-urlencoded', 'X-MG-Write': '1' }, 'value=1', 415, 'unsupported-media-type'],
    [
      'as text/plain (what a cross-site fetch may send without preflight)',
      { 'Content-Type': 'text/plain', 'X-MG-Write': '1' },
      '{"value":1}',
      415,
      'unsupported-media-type',
    ],
    ['with a body that is not JSON', { 'Content-Type': 'application/json', 'X-MG-Write': '1' }, '{"value":', 400, 'bad-json'],
    ['with a JSON array', { 'Content-Type': 'application/json', 'X-MG-Write': '1' }, '[1]', 400, 'bad-json'],
    ['with an object as the value', { 'Content-Type': 'application/json', 'X-MG-Write': '1' }, '{"value":{"a":1}}', 400, 'bad-value'],
    ['with another key', { 'Content-Type': 'application/json', 'X-MG-Write': '1' }, '{"level":1}', 400, 'bad-json'],
    ['from another site (Origin)', { 'Content-Type': 'application/json', 'X-MG-Write': '1', Origin: 'http://evil.example' }, '{"value":1}', 403, 'forbidden'],
  ])('refuses a write %s, with a clear 4xx and nothing sent to the interface', async (_what, headers, body, status, reason) => {
    w = await startWebGateway();
    const r = await request(w.port, VOLUME, { method: 'POST', headers, body });
    expect(r.status).toBe(status);
    expect(r.json()).toMatchObject({ ok: false, reason });
    expect(typeof r.json().detail).toBe('string');
    expect(w.commands).toEqual([]);
  });

  it('refuses a body over 16 KiB (413) and keeps serving', async () => {
    w = await startWebGateway();
    const r = await request(w.port, VOLUME, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-MG-Write': '1' },
      body: JSON.stringify({ value: 'x'.repeat(20_000) }),
    });
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ ok: false, reason: 'too-large' });
    expect((await w.get('/health/live')).status).toBe(200);
  });

  it('answers 405 for a GET on a write path, and 400 for a path that is not valid percent-encoding', async () => {
    w = await startWebGateway();
    const get = await w.get(VOLUME);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const bad = await w.post('/api/devices/%E0%A4%A/volume', { value: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ reason: 'bad-path' });
  });

  describe('with a token', () => {
    it.each<[string, Record<string, string>, number]>([
      ['no token', {}, 401],
      ['a wrong token', { 'X-MG-Token': 'nope' }, 403],
      ['a token one character longer', { 'X-MG-Token': 'S3cret-tokenX' }, 403],
      ['X-MG-Write alone', { 'X-MG-Write': '1' }, 401],
      ['a wrong Bearer', { Authorization: 'Bearer nope' }, 403],
    ])('refuses a write with %s', async (_what, headers, status) => {
      w = await startWebGateway({ web: { token: 'S3cret-token' } });
      const r = await w.post(VOLUME, { value: 1 }, headers);
      expect(r.status).toBe(status);
      expect(r.text).not.toContain('S3cret-token');
      expect(w.commands).toEqual([]);
    });

    it('takes the token as X-MG-Token or Authorization: Bearer', async () => {
      w = await startWebGateway({ web: { token: 'S3cret-token' } });
      expect((await w.post(VOLUME, { value: 1 }, { 'X-MG-Token': 'S3cret-token' })).status).toBe(200);
      expect((await w.post(VOLUME, { value: 2 }, { Authorization: 'Bearer S3cret-token' })).status).toBe(200);
      expect(w.commands.map((m) => m.arguments.level)).toEqual([1, 2]);
    });
  });
});

describe('parseWriteBody', () => {
  it.each([
    ['', {}],
    ['{}', {}],
    ['{"value":null}', {}],
    ['{"value":true}', { value: true }],
    ['{"value":"cd"}', { value: 'cd' }],
    ['{"value":-1.5}', { value: -1.5 }],
  ])('reads %s', (text, expected) => {
    expect(parseWriteBody(Buffer.from(text))).toEqual(expected);
  });
});
