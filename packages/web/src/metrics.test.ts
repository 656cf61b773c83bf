import { register as globalRegistry } from 'prom-client';
import { startWebGateway, type WebGateway } from './test-support/web-gateway.js';

const gateways: WebGateway[] = [];
afterEach(async () => {
  for (const w of gateways.splice(0)) await w.g.stop();
});
const start = async (...args: Parameters<typeof startWebGateway>) => {
  const w = await startWebGateway(...args);
  gateways.push(w);
  return w;
};

const COMMAND = 'test/AudioVideo//Living/avr/me/C';
// A sample line of the text format: name, optional labels, a value.
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;
// prom-client writes NaN as "Nan" (Prometheus reads either); the server spells it as the format does.
const value = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
};

describe('/metrics', () => {
  it('is the Prometheus text format, every line a comment or a sample', async () => {
    const w = await start();
    const r = await w.get('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = r.text.split('\n').filter((l) => l !== '');
    for (const l of lines) expect(l.startsWith('# HELP ') || l.startsWith('# TYPE ') || SAMPLE.test(l) ? 'ok' : l).toBe('ok');
  });

  it('counts what the gateway did: received, delivered, published, refused by reason, per-device availability', async () => {
    const w = await start();
    const confirmed = w.g.waitFor((m) => m.topic.endsWith('/S'));
    await w.g.receive(COMMAND, { action: 'POWER_ON' });
    await confirmed;
    await w.post('/api/devices/avr/volume', { value: 99 });
    await w.g.receive(COMMAND, { action: 'AVAILABLE', device: 'thermo-1', available: 'off' });
    const text = (await w.get('/metrics')).text;
    expect(value(text, 'mg_messages_received_total')).toBe(2);
    expect(value(text, 'mg_messages_delivered_total')).toBe(2);
    expect(value(text, 'mg_messages_published_total')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'mg_messages_refused_total{reason="invalid-value"}')).toBe(1);
    expect(value(text, 'mg_messages_refused_total{reason="strict-miss"}')).toBe(0);
    expect(value(text, 'mg_messages_dropped_total{direction="incoming"}')).toBe(0);
    expect(value(text, 'mg_messages_dropped_total{direction="outgoing"}')).toBe(0);
    expect(value(text, 'mg_device_available{device="avr"}')).toBe(1);
    expect(value(text, 'mg_device_available{device="thermo-1"}')).toBe(0);
    expect(value(text, 'mg_connected')).toBe(1);
    expect(value(text, 'mg_broker_connected{broker="memory://test"}')).toBe(1);
    expect(value(text, 'mg_broker_connections_total{broker="memory://test"}')).toBe(1);
    expect(value(text, 'mg_incoming_messages')).toBe(0);
    expect(value(text, 'mg_incoming_limit')).toBeGreaterThan(0);
    expect(value(text, 'mg_outbox_limit')).toBeGreaterThan(0);
    expect(value(text, 'mg_reading_pauses_total')).toBe(0);
    expect(value(text, 'mg_interface_errors_total')).toBe(0);
    expect(value(text, 'mg_web_viewers')).toBe(0);
    expect(value(text, 'mg_web_viewers_dropped_total')).toBe(0);
  });

  it('has the process metrics and the event-loop lag', async () => {
    const w = await start();
    const text = (await w.get('/metrics')).text;
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(value(text, name)).toEqual(expect.any(Number));
  });

  it("keeps each gateway's metrics in its own registry, never prom-client's global one", async () => {
    const a = await start();
    const b = await start();
    await a.g.receive(COMMAND, { action: 'POWER_ON' });
    expect(value((await a.get('/metrics')).text, 'mg_messages_received_total')).toBe(1);
    expect(value((await b.get('/metrics')).text, 'mg_messages_received_total')).toBe(0);
    expect((await globalRegistry.metrics()).trim()).toBe('');
  });
});
