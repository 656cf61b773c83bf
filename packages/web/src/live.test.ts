import { openEventStream, type EventStream } from './test-support/event-stream.js';
import { startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
const streams: EventStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await w?.g.stop();
  w = undefined;
});

const COMMAND = 'test/AudioVideo//Living/avr/me/C';
const follow = async (port: number, paused = false) => {
  const s = await openEventStream(port, { paused });
  streams.push(s);
  return s;
};

describe('the live stream: GET /api/events', () => {
  it('is an event stream that starts with the connection and the counters', async () => {
    w = await startWebGateway();
    const s = await follow(w.port);
    expect(s.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const connection = await s.next('connection');
    expect(connection.data).toMatchObject({ connected: true, broker: 'memory://test' });
    expect(typeof connection.data.at).toBe('number');
    const counters = await s.next('counters');
    expect(Object.keys(counters.data).sort()).toEqual(Object.keys(w.g.counters).sort());
  });

  it('tells messages in and out, states, availability and refusals as they happen', async () => {
    w = await startWebGateway();
    const s = await follow(w.port);
    await s.next('counters');
    await w.g.receive(COMMAND, { action: 'SOURCE_SET', source: 'tuner' });
    const incoming = await s.next('message', (d) => d.dir === 'in');
    expect(incoming.data).toMatchObject({ dir: 'in', topic: COMMAND });
    expect(String(incoming.data.text)).toContain('action=SOURCE_SET');
    const out = await s.next('message', (d) => d.dir === 'out');
    expect(out.data).toMatchObject({ dir: 'out' });
    expect(JSON.parse(String(out.data.payload))).toMatchObject({ action: 'SOURCE', source: 'tuner' });
    expect(out.data.topic).toMatch(/\/S$/);
    const state = await s.next('state');
    expect(state.data).toMatchObject({ device: 'avr', capability: 'source', value: 'tuner' });
    expect(typeof state.data.at).toBe('number');

    await w.g.receive(COMMAND, { action: 'AVAILABLE', device: 'avr', available: 'off' });
    expect((await s.next('availability')).data).toMatchObject({ device: 'avr', available: false, reason: 'test' });

    await w.post('/api/devices/avr/volume', { value: 99 });
    const refused = await s.next('refused');
    expect(refused.data).toMatchObject({ direction: 'incoming', reason: 'invalid-value' });
    expect(String(refused.data.detail)).toMatch(/volume/);
  });

  it('sends the counters again while it is followed (every countersMs; 1 s by default)', async () => {
    w = await startWebGateway({ live: { countersMs: 30 } });
    const s = await follow(w.port);
    await w.g.receive(COMMAND, { action: 'POWER_ON' });
    const later = await s.next('counters', (d) => d.delivered === 1);
    expect(later.data).toMatchObject({ received: 1, delivered: 1 });
  });

  it('drops a viewer that stops reading once its buffer is full, counts it, and goes on with the others', async () => {
    w = await startWebGateway({ live: { bufferBytes: 256 * 1024 } });
    const stuck = await follow(w.port, true);
    // Enough traffic to fill the socket buffers (a few MB on loopback), then the viewer's own.
    const text = 'x'.repeat(200_000);
    const dropped = async () => /^mg_web_viewers_dropped_total 1$/m.test((await w!.get('/metrics')).text);
    for (let i = 0; i < 500 && !(await dropped()); i += 1) await w.g.receive(COMMAND, { action: 'REPORT', status: 'DISPLAY', text: `${i}${text}` });
    await stuck.ended;
    expect(w.g.logs.some((l) => /live-stream viewer fell behind/.test(l))).toBe(true);
    // The gateway goes on, and a new viewer gets what happens.
    const reader = await follow(w.port);
    await reader.next('counters');
    await w.g.receive(COMMAND, { action: 'REPORT', status: 'DISPLAY', text: 'after' });
    await reader.next('state', (d) => d.value === 'after');
    const metrics = (await w.get('/metrics')).text;
    expect(metrics).toMatch(/^mg_web_viewers_dropped_total 1$/m);
    expect(metrics).toMatch(/^mg_web_viewers 1$/m);
  });

  it('refuses viewers over the limit with 503, and ends every stream when the gateway stops', async () => {
    w = await startWebGateway({ live: { maxViewers: 2 } });
    const a = await follow(w.port);
    await follow(w.port);
    await a.next('counters');
    const third = await w.get('/api/events');
    expect(third.status).toBe(503);
    expect(third.json()).toMatchObject({ ok: false, reason: 'too-many-viewers' });
    await w.g.stop();
    await a.ended;
    w = undefined;
  });
});
