import { request, startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
afterEach(async () => {
  await w?.g.stop();
  w = undefined;
});

/** Where the test receiver takes its commands. */
const COMMAND = 'test/AudioVideo//Living/avr/me/C';

describe('the JSON API', () => {
  it("/api/gateway says what the gateway is, with exactly the contract's keys", async () => {
    w = await startWebGateway();
    const r = await w.get('/api/gateway');
    expect(r.status).toBe(200);
    const body = r.json();
    expect(Object.keys(body).sort()).toEqual(
      ['name', 'version', 'clientId', 'broker', 'connected', 'state', 'interfaceStarted', 'uptime', 'availability', 'writable', 'tokenRequired'].sort(),
    );
    expect(body).toMatchObject({
      name: 'testgw',
      clientId: 'testgw',
      broker: 'memory://test',
      connected: true,
      state: 'running',
      interfaceStarted: true,
      availability: 'online',
      writable: true,
      tokenRequired: false,
    });
    expect(typeof body.version).toBe('string');
    expect(typeof body.uptime).toBe('number');
  });

  it('/api/gateway says a token is required when one is set', async () => {
    w = await startWebGateway({ web: { token: 'Tk-1' } });
    expect((await w.get('/api/gateway')).json()).toMatchObject({ tokenRequired: true });
  });

  it('/api/devices lists the declared devices with their capabilities, last values and availability', async () => {
    w = await startWebGateway();
    const before = (await w.get('/api/devices')).json() as { declared: boolean; devices: Record<string, unknown>[] };
    expect(before.declared).toBe(true);
    expect(before.devices.map((d) => d.id)).toEqual(['avr', 'thermo-1']);
    const avr = before.devices[0] as { id: string; name: string; available: boolean; capabilities: Record<string, unknown>[] };
    expect(avr).toMatchObject({ name: 'Living room receiver', available: true });
    expect(avr.capabilities.find((c) => c.id === 'volume')).toEqual({
      id: 'volume',
      name: 'Volume',
      kind: 'number',
      access: 'readwrite',
      unit: 'dB',
      min: -80,
      max: 18,
      step: 0.5,
    });
    expect(avr.capabilities.find((c) => c.id === 'source')).toEqual({
      id: 'source',
      name: 'Source',
      kind: 'enum',
      access: 'readwrite',
      options: ['cd', 'tuner', 'hdmi1'],
    });
    expect(avr.capabilities.find((c) => c.id === 'mute-toggle')).toEqual({ id: 'mute-toggle', name: 'Mute toggle', kind: 'trigger', access: 'write' });

    // The interface reports a volume and loses the receiver.
    const confirmed = w.g.waitFor((m) => m.topic.endsWith('/S') && m.payload.includes('VOLUME'));
    await w.g.receive(COMMAND, { action: 'VOLUME_SET', level: -20 });
    await confirmed;
    await w.g.receive(COMMAND, { action: 'AVAILABLE', device: 'avr', available: 'off' });
    const after = (await w.get('/api/devices')).json() as { devices: { id: string; available: boolean; capabilities: { id: string; value?: unknown }[] }[] };
    const avrAfter = after.devices.find((d) => d.id === 'avr')!;
    expect(avrAfter.available).toBe(false);
    expect(avrAfter.capabilities.find((c) => c.id === 'volume')!.value).toBe(-20);
    expect(after.devices.find((d) => d.id === 'thermo-1')!.available).toBe(true);
  });

  it('/api/counters is the counters JSON, as on the stats topic', async () => {
    w = await startWebGateway();
    await w.g.receive(COMMAND, { action: 'POWER_ON' });
    const body = (await w.get('/api/counters')).json();
    expect(Object.keys(body).sort()).toEqual(Object.keys(w.g.counters).sort());
    expect(body).toMatchObject({ received: 1, delivered: 1 });
  });

  it('answers 404 with a reason for an unknown endpoint, and 405 for a method it does not take', async () => {
    w = await startWebGateway();
    const missing = await w.get('/api/nothing');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ ok: false, reason: 'not-found', detail: 'no endpoint /api/nothing' });
    const put = await request(w.port, '/api/devices', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
    expect(put.json()).toMatchObject({ ok: false, reason: 'method-not-allowed' });
  });
});
