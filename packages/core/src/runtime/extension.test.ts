import type { DeviceInput } from '../index.js';
import type { GatewayExtension } from '../extensions.js';
import { createTestGateway } from '../testing/index.js';
import { gate } from '../test-support/gate.js';
import { LAMP, Lamp, toy } from '../test-support/toy-extension.js';

const gateway = (enabled: boolean) => createTestGateway(Lamp, { extensions: [toy], config: { TOY: { enabled } } });

it('an extension that its options leave off does nothing', async () => {
  const gw = gateway(false);
  await gw.start();
  const refused: string[] = [];
  gw.gateway.on('refused', (r) => refused.push(r.reason));
  await gw.receive('toy/lamp/power/set', 'true');
  await gw.stop();
  expect(refused).toEqual(['topic-levels']);
  expect(gw.published.filter((m) => m.topic.startsWith('toy/'))).toEqual([]);
  expect(gw.counters.received).toBe(1); // the map saw it, as any other message
  expect(Lamp.seen).toEqual([]);
});

it('routes its topics away from the map, sends writes to the interface as commands, and publishes the states that come back', async () => {
  const gw = gateway(true);
  await gw.start();
  expect(gw.published.map((m) => `${m.topic} ${m.payload}`)).toEqual(expect.arrayContaining(['toy/lamp/$name Hall lamp', 'toy/$state ready']));
  const level = gw.waitFor('toy/lamp/level', '40');
  await gw.receive('toy/lamp/level/set', '40');
  await level;
  expect(Lamp.seen).toEqual(['C function= gateway= location=Hall device=Lamp sender=toy action=DIM {"level":40}']);
  expect(gw.published.find((m) => m.topic === 'toy/lamp/power')).toMatchObject({ payload: 'true', retain: true });
  // its own state topics coming back (a wide subscription) never reach the map
  const refused: string[] = [];
  gw.gateway.on('refused', (r) => refused.push(r.reason));
  await gw.receive('toy/lamp/level', '40');
  expect(refused).toEqual([]);
  await gw.stop();
  expect(gw.published.at(-1)).toMatchObject({ topic: 'test/testgw/availability', payload: 'offline' });
  expect(gw.published.map((m) => `${m.topic} ${m.payload}`)).toContain('toy/$state disconnected');
});

it('refuses a write the capability does not take, or a retained one (it would be applied at every connection), with a counted reason, and goes on', async () => {
  const gw = gateway(true);
  const refused: string[] = [];
  gw.gateway.on('refused', (r) => refused.push(`${r.reason}: ${r.detail}`));
  await gw.start();
  const off = gw.waitFor('toy/lamp/power', 'false');
  await gw.receive('toy/lamp/level/set', '250');
  await gw.receive('toy/sofa/level/set', '1');
  await gw.receive('toy/lamp/power/set', 'true', { retain: true });
  await gw.receive('toy/lamp/power/set', 'false');
  await off;
  await gw.stop();
  expect(refused).toEqual([
    'invalid-value: level expects a number from 0 to 100, got 250 (message on "toy/lamp/level/set")',
    'invalid-value: no device capability sofa/level (message on "toy/sofa/level/set")',
    'invalid-value: retained write ignored: lamp/power (message on "toy/lamp/power/set"); publish commands without retain',
  ]);
  expect(gw.counters.rejected['invalid-value']).toBe(3);
  expect(Lamp.seen).toHaveLength(1);
});

it('counts what an extension refuses', async () => {
  const picky: GatewayExtension = {
    section: 'PICKY',
    options: {},
    description: 'Refuses.',
    create: (ctx) => ({ start: () => ctx.route('picky/#', (topic) => ctx.refused(`cannot read "${topic}"`)) }),
  };
  const gw = createTestGateway(Lamp, { extensions: [picky] });
  await gw.start();
  await gw.receive('picky/x', 'garbage');
  await gw.stop();
  expect(gw.counters.rejected['invalid-value']).toBe(1);
});

const greedy: GatewayExtension = {
  section: 'GREEDY',
  options: {},
  description: 'Takes all.',
  create: (ctx) => ({ start: () => ctx.route('test/#', () => undefined) }),
};

it("refuses to start an extension whose topics would take in the gateway's own subscriptions", async () => {
  const gw = createTestGateway(Lamp, { extensions: [greedy] });
  await expect(gw.start()).rejects.toMatchObject({ code: 'EXTENSION_ROUTE_OVERLAP', extension: 'GREEDY' });
});

it('refuses that overlap also when the gateway shares its subscriptions ([MQTT] sharedgroup)', async () => {
  const gw = createTestGateway(Lamp, { extensions: [greedy], config: { MQTT: { sharedgroup: 'replicas' } } });
  await expect(gw.start()).rejects.toMatchObject({ code: 'EXTENSION_ROUTE_OVERLAP', extension: 'GREEDY' });
});

it('refuses an interface whose describe() is invalid, naming the path', () => {
  class Bad extends Lamp {
    static override describe = (): DeviceInput[] => [{ ...LAMP, capabilities: [{ ...LAMP.capabilities[1]!, max: -1 }] }];
  }
  expect(() => createTestGateway(Bad)).toThrow('Bad.describe(): invalid device description:\n  $[0].capabilities[0].max: must be greater than min (0)');
});

it('tells an extension its write was taken only when the interface will get it: not once the gateway is stopping', async () => {
  const closing = gate();
  class SlowToStop extends Lamp {
    stop = () => closing.wait;
  }
  const heard: string[] = [];
  const echo: GatewayExtension = {
    section: 'ECHO',
    options: {},
    description: 'Hears which writes were taken.',
    create: (ctx) => ({
      start: () => ctx.route('echo/#', (topic) => ({ device: 'lamp', capability: 'power', value: true, accepted: () => heard.push(topic) })),
    }),
  };
  const gw = createTestGateway(SlowToStop, { extensions: [echo] });
  await gw.start();
  const status = gw.waitFor((m) => m.topic.endsWith('/S'));
  await gw.receive('echo/first', 'x');
  await status;
  expect(heard).toEqual(['echo/first']);
  const stopping = gw.stop();
  // Arrives while the interface stops: nobody will take it, and it is not acknowledged (so the
  // broker keeps it for the next run on a persistent session): the kit says so once stopped.
  const late = gw.receive('echo/late', 'x');
  closing.open();
  await stopping;
  await expect(late).rejects.toThrow('not taken');
  expect(heard).toEqual(['echo/first']);
  expect(Lamp.seen).toHaveLength(1);
});

it('does not start the extensions of a gateway stopped while its interface was starting (no presence left connected)', async () => {
  const opening = gate();
  class SlowToStart extends Lamp {
    start = () => opening.wait;
  }
  const gw = createTestGateway(SlowToStart, { extensions: [toy], config: { TOY: { enabled: true } } });
  const starting = gw.start();
  const stopping = gw.stop();
  opening.open();
  await Promise.allSettled([starting, stopping]);
  expect(gw.published.map((m) => `${m.topic} ${m.payload}`)).not.toContain('toy/$state ready');
});

it("counts the interface's messages in published, the extension's apart, the availability and the presence in neither, as production does", async () => {
  const gw = gateway(true);
  await gw.start();
  const level = gw.waitFor('toy/lamp/level');
  await gw.receive('toy/lamp/level/set', '40');
  await level;
  await gw.stop();
  const topics = gw.published.map((m) => m.topic);
  const extension = topics.filter((t) => t.startsWith('toy/lamp/'));
  expect(topics).toEqual(expect.arrayContaining(['toy/$state', 'test/testgw/availability']));
  expect(extension.length).toBeGreaterThan(0);
  expect(gw.counters).toMatchObject({ published: 1, extensionPublished: extension.length }); // the lamp's one state
});
