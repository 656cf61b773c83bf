import type { DeviceInput, InterfaceContext } from '../index.js';
import { createTestContext, createTestGateway } from '../testing/index.js';
import { stoppedAfterEach } from '../test-support/stopped-gateways.js';
import { LAMP, Lamp } from '../test-support/toy-extension.js';

/** The lamp, noting every poll it is asked for. */
class Polled extends Lamp {
  static override describe = (): DeviceInput[] => [LAMP, { ...LAMP, id: 'sofa', name: 'Sofa lamp' }];
  static polls: string[] = [];
  constructor(ctx: InterfaceContext) {
    super(ctx);
    Polled.polls = [];
    ctx.devices.onPoll((device) => Polled.polls.push(device ?? '(all)'));
  }
}

const gateway = stoppedAfterEach();

describe('poll on demand', () => {
  it('asks the interface to poll the device named, or every device for an empty payload or "all"', async () => {
    const gw = gateway(Polled);
    await gw.start();
    await gw.receive('test/testgw/poll', 'lamp');
    await gw.receive('test/testgw/poll', '');
    await gw.receive('test/testgw/poll', ' ALL ');
    expect(Polled.polls).toEqual(['lamp', '(all)', '(all)']);
    expect(gw.counters).toMatchObject({ received: 3, delivered: 0 });
  });

  it('refuses an unknown id or a retained request with a counted reason, and goes on', async () => {
    const gw = gateway(Polled);
    const refused: unknown[] = [];
    gw.gateway.on('refused', (r) => refused.push(r));
    await gw.start();
    await gw.receive('test/testgw/poll', 'garage');
    await gw.receive('test/testgw/poll', 'lamp', { retain: true });
    await gw.receive('test/testgw/poll', 'sofa');
    expect(Polled.polls).toEqual(['sofa']);
    expect(gw.counters.rejected['invalid-value']).toBe(2);
    expect(refused).toEqual([
      expect.objectContaining({
        direction: 'incoming',
        reason: 'invalid-value',
        topic: 'test/testgw/poll',
        detail: 'poll request for "garage": no declared device has this id; send a device id, or "all" (message on "test/testgw/poll")',
      }),
      expect.objectContaining({ reason: 'invalid-value', detail: expect.stringContaining('retained poll request "lamp" ignored') }),
    ]);
    expect(gw.logs.some((l) => l.startsWith('WARN testgw.core: incoming message rejected (invalid-value): poll request for "garage"'))).toBe(true);
  });

  it("counts a listener's error as the interface's and goes on", async () => {
    class Throws extends Polled {
      constructor(ctx: InterfaceContext) {
        super(ctx);
        ctx.devices.onPoll(() => {
          throw new Error('the port is closed');
        });
      }
    }
    const gw = gateway(Throws);
    await gw.start();
    await gw.receive('test/testgw/poll', 'lamp');
    await gw.receive('test/testgw/poll', 'sofa');
    expect(Polled.polls).toEqual(['lamp', 'sofa']);
    expect(gw.counters.interfaceErrors).toBe(2);
  });

  it('is a message like any other with [MQTT] polltopic blank, and listens where the option says', async () => {
    const off = gateway(Polled, { mqtt: { polltopic: '' } });
    await off.start();
    await off.receive('test/testgw/poll', 'lamp');
    expect(off.counters.rejected['topic-levels']).toBe(1);
    const moved = gateway(Polled, { mqtt: { polltopic: 'test/{app}/read-now' } });
    await moved.start();
    await moved.receive('test/testgw/read-now', 'lamp');
    expect(Polled.polls).toEqual(['lamp']);
  });

  it('refuses a poll topic with a wildcard', () => {
    expect(() => createTestGateway(Polled, { mqtt: { polltopic: '{root}/#' } })).toThrow(
      '[MQTT] polltopic = "{root}/#": a topic to publish to has no wildcard',
    );
  });

  it('is asked by the test context directly', () => {
    const t = createTestContext(Polled);
    new Polled(t.context);
    t.poll('lamp');
    t.poll();
    expect(Polled.polls).toEqual(['lamp', '(all)']);
  });
});
