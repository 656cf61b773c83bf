import { startMosquitto, type Mosquitto } from '@mg/test-helpers';
import type { ExtensionContext, GatewayExtension, GatewayView } from '../extensions.js';
import { mqttLines, runGateway, type Harness } from '../test-support/gateway-harness.js';
import { PollingEcho } from '../test-support/interfaces.js';

// ctx.gateway.connection() on real brokers: what a status page and /metrics show per broker of
// [MQTT] host while the gateway fails over between them.

let gw: Harness | undefined;
let brokers: Mosquitto[] = [];

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  for (const b of brokers) await b.dispose();
  brokers = [];
});

/** An extension that hands its context to the test. */
function probe(): { extension: GatewayExtension; ctx: () => ExtensionContext } {
  let context: ExtensionContext | undefined;
  return {
    extension: { section: 'PROBE', options: {}, description: 'Hands its context to the test.', create: (ctx) => void (context = ctx) },
    ctx: () => context!,
  };
}

/** Resolves with the view's connection once the gateway has connected to `url` (maybe already). */
function connectedTo(view: GatewayView, url: string): Promise<ReturnType<GatewayView['connection']>> {
  return new Promise((resolve) => {
    const check = () => {
      const c = view.connection();
      if (c.connected && c.broker === url) {
        off();
        resolve(c);
      }
    };
    const off = view.on('connected', check);
    check();
  });
}

it('flips each broker of [MQTT] host between connected and not, counting connections and losses, through failovers', async () => {
  brokers = await Promise.all([startMosquitto(), startMosquitto()]);
  const [a, b] = brokers as [Mosquitto, Mosquitto];
  const p = probe();
  const host = `127.0.0.1:${a.port}, 127.0.0.1:${b.port}`;
  gw = await runGateway(PollingEcho, mqttLines(a.url, { host, clientid: `view-${process.pid}` }), { extensions: [p.extension] });
  const view = p.ctx().gateway;
  const row = (url: string, connected: boolean, connections: number, disconnections: number) => ({ url, connected, connections, disconnections });

  expect((await connectedTo(view, a.url)).brokers).toEqual([row(a.url, true, 1, 0), row(b.url, false, 0, 0)]);

  const lost = new Promise<void>((resolve) => view.on('disconnected', resolve));
  await a.kill();
  await lost;
  expect(view.connection().connected).toBe(false);
  expect(view.connection().brokers[0]).toEqual(row(a.url, false, 1, 1));

  expect((await connectedTo(view, b.url)).brokers).toEqual([row(a.url, false, 1, 1), row(b.url, true, 1, 0)]);

  await a.start();
  await b.kill();
  expect((await connectedTo(view, a.url)).brokers).toEqual([row(a.url, true, 2, 1), row(b.url, false, 1, 1)]);
  expect(view.counters()).toMatchObject({ connections: 3, disconnections: 2, broker: a.url });
}, 30_000);
