import { createTestGateway } from '../testing/index.js';
import { gate } from '../test-support/gate.js';
import { Lamp } from '../test-support/toy-extension.js';

it('does not count, or tell, a command that arrives while the gateway stops: nobody takes it', async () => {
  const closing = gate();
  class SlowToStop extends Lamp {
    stop = () => closing.wait;
  }
  const gw = createTestGateway(SlowToStop);
  const told: string[] = [];
  gw.gateway.on('message-in', (_msg, topic) => told.push(topic));
  await gw.start();
  await gw.receive('test/function/gateway/Hall/Lamp/sender/C', 'ON');
  expect(gw.counters.delivered).toBe(1);
  const stopping = gw.stop();
  const late = gw.receive('test/function/gateway/Hall/Lamp/sender/C', 'OFF');
  closing.open();
  await stopping;
  // The kit's receive() ends too: it says the message was not taken, instead of never resolving.
  await expect(late).rejects.toThrow('was not taken');
  expect(gw.counters).toMatchObject({ received: 2, delivered: 1 });
  expect(told).toEqual(['test/function/gateway/Hall/Lamp/sender/C']);
});

it('rejects a receive() after the gateway has stopped at once', async () => {
  const gw = createTestGateway(Lamp);
  await gw.start();
  await gw.stop();
  await expect(gw.receive('test/function/gateway/Hall/Lamp/sender/C', 'ON')).rejects.toThrow('was not taken');
  expect(gw.counters.delivered).toBe(0);
});
