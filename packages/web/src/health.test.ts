import type { GatewayView } from '@mg/core/extensions';
import { readiness } from './api.js';
import { startWebGateway, type WebGateway } from './test-support/web-gateway.js';

let w: WebGateway | undefined;
afterEach(async () => {
  await w?.g.stop();
  w = undefined;
});

/** A gateway view in a given state, for readiness alone. */
function view(state: 'starting' | 'running' | 'stopping' | 'stopped', interfaceStarted: boolean, connected: boolean): GatewayView {
  return {
    status: () => ({ state, interfaceStarted }),
    connection: () => ({ connected, broker: connected ? 'mqtt://127.0.0.1:1883' : '', brokers: [] }),
  } as unknown as GatewayView;
}

describe('/health', () => {
  it('/health/live answers 200 {"status":"live"}', async () => {
    w = await startWebGateway();
    const r = await w.get('/health/live');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: 'live' });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('/health/ready answers 200 {"status":"ready"} once connected and the interface started', async () => {
    w = await startWebGateway();
    const r = await w.get('/health/ready');
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ status: 'ready' });
  });

  it.each([
    ['starting, interface not started', view('starting', false, true), 'the interface has not started'],
    ['broker not connected', view('running', true, false), 'the broker is not connected'],
    ['stopping', view('stopping', true, true), 'the gateway is stopping'],
    ['both', view('starting', false, false), 'the interface has not started; the broker is not connected'],
  ])('is not ready when %s, and says why', (_what, v, reason) => {
    expect(readiness(v)).toEqual({ ready: false, reason });
  });

  it('is ready when running, started and connected', () => {
    expect(readiness(view('running', true, true))).toEqual({ ready: true });
  });
});
