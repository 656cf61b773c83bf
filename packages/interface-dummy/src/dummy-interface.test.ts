import { InternalMessage, MessageList, type InterfaceContext } from '@mg/core';
import { DummyInterface } from './dummy-interface.js';

function context(params: Record<string, string>) {
  const lines: string[] = [];
  const logger = {
    name: 'test',
    critical: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    info: (m: string) => lines.push(m),
    debug: (m: string) => lines.push(m),
    isLevelEnabled: () => true,
    child: () => logger,
  };
  const ctx: InterfaceContext = {
    params,
    incoming: new MessageList(),
    outgoing: new MessageList(),
    logger,
    signal: new AbortController().signal,
    appName: 'dummy2mqtt',
    configFile: '/etc/dummy2mqtt.conf',
  };
  return { ctx, lines };
}

afterEach(() => jest.useRealTimers());

describe('DummyInterface', () => {
  it('refuses to start without [INTERFACE] port, naming the option and the file', () => {
    expect(() => new DummyInterface(context({}).ctx)).toThrow('[INTERFACE] port is missing in /etc/dummy2mqtt.conf: give the device the interface talks to');
    expect(() => new DummyInterface(context({ port: '  ' }).ctx)).toThrow('[INTERFACE] port is missing');
  });

  it.each(['0', '-5', 'soon', 'NaN'])('refuses interval %j', (interval) => {
    expect(() => new DummyInterface(context({ port: 'x', interval }).ctx)).toThrow(
      `[INTERFACE] interval = "${interval}" in /etc/dummy2mqtt.conf: expected a number of seconds > 0`,
    );
  });

  it('logs every incoming message', () => {
    const { ctx, lines } = context({ port: '/dev/null' });
    const dummy = new DummyInterface(ctx);
    ctx.incoming.push(new InternalMessage({ isCmd: true, function: 'AudioVideo', location: 'Office', action: 'MUTE_TGL' }));
    ctx.incoming.push(new InternalMessage({ action: 'POWER_ON' }));
    dummy.loop();
    expect(lines.filter((l) => l.startsWith('received'))).toEqual([
      'received C function=AudioVideo gateway= location=Office device= sender= action=MUTE_TGL',
      'received S function= gateway= location= device= sender= action=POWER_ON',
    ]);
    expect(ctx.incoming.size).toBe(0);
  });

  it('pushes MUTE_ON every interval (30 s by default), not before', () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { ctx } = context({ port: '/dev/null' });
    const dummy = new DummyInterface(ctx);
    dummy.loop();
    jest.setSystemTime(1_000_000 + 29_999);
    dummy.loop();
    expect(ctx.outgoing.size).toBe(0);
    jest.setSystemTime(1_000_000 + 30_000);
    dummy.loop();
    dummy.loop();
    expect(ctx.outgoing.size).toBe(1);
    expect(ctx.outgoing.pull()).toMatchObject({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON', sender: '' });
    jest.setSystemTime(1_000_000 + 60_000);
    dummy.loop();
    expect(ctx.outgoing.size).toBe(1);
  });

  it('follows the interval option', () => {
    jest.useFakeTimers({ now: 0 });
    const { ctx } = context({ port: '/dev/null', interval: '0.5' });
    const dummy = new DummyInterface(ctx);
    jest.setSystemTime(500);
    dummy.loop();
    expect(ctx.outgoing.size).toBe(1);
  });
});
