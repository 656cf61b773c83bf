import { join } from 'node:path';
import { InternalMessage } from '@mg/core';
import { createTestContext, createTestGateway } from '@mg/core/testing';
import { DummyInterface } from './dummy-interface.js';

const MAP = join(__dirname, '..', 'dummy.map.json');
afterEach(() => jest.useRealTimers());

describe('DummyInterface options', () => {
  it('refuses to start without [INTERFACE] port, saying what to put there', () => {
    expect(() => createTestContext(DummyInterface, {})).toThrow(
      'createTestContext() options: [INTERFACE] port: is required: give the device the interface talks to, e.g. "port: /dev/ttyUSB0"',
    );
  });

  it.each(['0', '-5', 'soon'])('refuses interval %j with what was expected', (interval) => {
    expect(() => createTestContext(DummyInterface, { port: 'x', interval })).toThrow(`[INTERFACE] interval = "${interval}": expected a number >= 0.001`);
  });

  it('types the options: interval is a number of seconds', () => {
    expect(createTestContext(DummyInterface, { port: '/dev/null', interval: '0.5' }).context.options).toEqual({ port: '/dev/null', interval: 0.5 });
  });
});

describe('DummyInterface, called directly', () => {
  it('logs every incoming message', () => {
    const { context, logs } = createTestContext(DummyInterface, { port: '/dev/null' });
    const dummy = new DummyInterface(context);
    dummy.start();
    context.incoming.push(new InternalMessage({ isCmd: true, function: 'AudioVideo', location: 'Office', action: 'MUTE_TGL' }));
    dummy.loop();
    expect(logs).toContain('INFO testgw.interface: received C function=AudioVideo gateway= location=Office device= sender= action=MUTE_TGL');
    expect(context.incoming.size).toBe(0);
  });

  it('declares one device, a mute switch, valid for the conventions', () => {
    const { context } = createTestContext(DummyInterface, { port: '/dev/null' });
    expect(context.devices.list().map((d) => `${d.id}: ${d.capabilities.map((c) => `${c.id} ${c.kind} ${c.access}`).join(', ')}`)).toEqual([
      'dummy: mute binary write',
    ]);
  });

  it('pushes MUTE_ON every interval (30 s by default), not before', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { context } = createTestContext(DummyInterface, { port: '/dev/null' });
    const dummy = new DummyInterface(context);
    dummy.start();
    jest.setSystemTime(1_000_000 + 29_999);
    dummy.loop();
    expect(context.outgoing.size).toBe(0);
    jest.setSystemTime(1_000_000 + 30_000);
    dummy.loop();
    dummy.loop();
    expect(context.outgoing.size).toBe(1);
    expect(context.outgoing.pull()).toMatchObject({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON', sender: '' });
  });
});

describe('DummyInterface through a gateway, in memory (no broker)', () => {
  const gateway = () =>
    createTestGateway(DummyInterface, { appName: 'dummy2mqtt', options: { port: '/dev/null', interval: 0.05 }, mqtt: { mapping: true, mapfilename: MAP } });

  it('publishes its periodic MUTE_ON with the map vocabulary, as the gateway itself', async () => {
    const gw = gateway();
    await gw.start();
    const m = await gw.waitFor((p) => p.topic.endsWith('/C'));
    expect(m).toMatchObject({ topic: 'testmqttgtw/dummyfunction//office//dummy2mqtt/C', payload: 'mute_on', retain: false });
    await gw.stop();
    expect(gw.published.at(-1)).toMatchObject({ topic: 'testmqttgtw/dummy2mqtt/availability', payload: 'offline' });
  });

  it('gets a command in the internal vocabulary, and the map refuses what it does not know', async () => {
    const gw = gateway();
    const seen: InternalMessage[] = [];
    gw.gateway.on('message-in', (m) => seen.push(m));
    const refused: string[] = [];
    gw.gateway.on('refused', (r) => refused.push(r.reason));
    await gw.start();
    await gw.receive('testmqttgtw/audiovideo/dummy/office/amp/tester/C', 'mute_toggle');
    await gw.receive('testmqttgtw/audiovideo/nobody/office/amp/tester/C', 'mute_toggle');
    expect(seen.map((m) => `${m.function} ${m.gateway} ${m.location} ${m.action}`)).toEqual(['AudioVideo Dummy Office MUTE_TGL']);
    expect(refused).toEqual(['strict-miss']);
    await gw.stop();
  });

  it('logs each message it receives, which is all the dummy does with one (log wording)', async () => {
    const gw = gateway();
    await gw.start();
    await gw.receive('testmqttgtw/audiovideo/dummy/office/amp/tester/C', 'mute_toggle');
    await gw.stop();
    expect(gw.logs.some((l) => l.includes('received C function=AudioVideo gateway=Dummy location=Office device=amp sender=tester action=MUTE_TGL'))).toBe(true);
  });
});
