// Poll on demand on a real broker: the gateway subscribes to its poll topic even when the map's
// subscriptions do not take it in, and a request reaches the interface's listener.
import { connectClient, SHARED_BROKER_URL, sweepRetained, uniqueRoot, waitFor } from '@mg/test-helpers';
import { createGateway, type InterfaceContext } from '../index.js';
import { memoryLogging } from '../testing/index.js';
import { Lamp } from '../test-support/toy-extension.js';

class Polled extends Lamp {
  static polls: string[] = [];
  constructor(ctx: InterfaceContext) {
    super(ctx);
    ctx.devices.onPoll((device) => Polled.polls.push(device ?? '(all)'));
  }
}

it('takes poll requests on its poll topic, outside the subscriptions of the map', async () => {
  const root = uniqueRoot('poll');
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const gateway = createGateway(Polled, {
    appName: 'poll2mqtt',
    config: { MQTT: { host: hostname, port: Number(port || 1883), root, topics: `${root}/+/+/+/+/+/C`, statsinterval: 0, deviceavailabilitytopic: '' } },
    logging: memoryLogging('poll2mqtt'),
  });
  const client = await connectClient(SHARED_BROKER_URL);
  const refused: string[] = [];
  gateway.on('refused', (r) => refused.push(r.detail));
  const subscribed: string[] = [];
  gateway.on('subscribed', ({ filters }) => subscribed.push(...filters));
  try {
    await gateway.start();
    await waitFor(() => subscribed.includes(`${root}/poll2mqtt/poll`), 'the poll topic subscribed');
    await client.publish(`${root}/poll2mqtt/poll`, 'garage', { qos: 1 });
    await client.publish(`${root}/poll2mqtt/poll`, 'lamp', { qos: 1 });
    await client.publish(`${root}/poll2mqtt/poll`, '', { qos: 1 });
    await waitFor(() => Polled.polls.length === 2, 'two polls');
    expect(Polled.polls).toEqual(['lamp', '(all)']);
    expect(refused).toEqual([expect.stringContaining('poll request for "garage"')]);
    expect(gateway.counters.rejected['invalid-value']).toBe(1);
  } finally {
    await gateway.stop();
    await client.end();
    await sweepRetained([`${root}/#`]);
  }
});
