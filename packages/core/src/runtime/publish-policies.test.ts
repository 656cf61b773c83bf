import { InternalMessage, type DeviceInput } from '../index.js';
import type { GatewayExtension } from '../extensions.js';
import { createTestGateway, type TestGateway } from '../testing/index.js';
import { meter, Meter } from '../test-support/meter.js';
import { stoppedAfterEach } from '../test-support/stopped-gateways.js';

const gateway = stoppedAfterEach();
afterEach(() => jest.useRealTimers());

/** A started gateway around the meter, described with `devices`. */
async function started(devices: DeviceInput[], options: Parameters<typeof createTestGateway>[1] = {}): Promise<TestGateway> {
  Meter.devices = devices;
  const gw = gateway(Meter, options);
  await gw.start();
  return gw;
}

const TEMP = 'test///Hall/Meter/testgw/S';
/** The temperatures published so far. */
const temperatures = (gw: TestGateway) =>
  gw.published.filter((m) => m.topic === TEMP && m.payload.includes('"TEMP"')).map((m) => (JSON.parse(m.payload) as { value: number }).value);

/** A noisy series around 20 °C (a fixed linear congruential sequence: the same on every run). */
function noisy(count: number): number[] {
  let seed = 12345;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    out.push(Math.round((20 + Math.sin(i / 10) * 2 + ((seed / 2 ** 31) * 1.4 - 0.7)) * 100) / 100);
  }
  return out;
}

describe('deadbands', () => {
  it('with deadband 0.5, publishes a change of 0.6 from the last value published, not one of 0.3', async () => {
    const gw = await started([meter({ temperature: { deadband: 0.5 } })]);
    for (const value of [20.0, 20.3, 20.6, 20.7, 21.2, 20.6, 20.0, 20.05]) Meter.report('TEMP', { value });
    expect(temperatures(gw)).toEqual([20.0, 20.6, 21.2, 20.6, 20.0]);
    expect(gw.counters).toMatchObject({ published: 5, suppressed: 3 });
  });

  it('counts exactly the publications a deadband allows in a noisy series', async () => {
    const gw = await started([meter({ device: { deadband: 0.5 } })]);
    const series = noisy(500);
    let last: number | undefined;
    const allowed = series.filter((v) => {
      if (last !== undefined && Math.abs(v - last) <= 0.5) return false;
      last = v;
      return true;
    });
    for (const value of series) Meter.report('TEMP', { value });
    expect(temperatures(gw)).toEqual(allowed);
    expect(allowed.length).toBeGreaterThan(20);
    expect(allowed.length).toBeLessThan(250);
    expect(gw.counters).toMatchObject({ published: allowed.length, suppressed: series.length - allowed.length });
  });

  it('with deadbandPercent 10, publishes a change of more than 10 % of the last value published', async () => {
    const gw = await started([meter({ temperature: { deadbandPercent: 10 } })]);
    for (const value of [100, 105, 110, 111, 100, 99, -10, -10.5, -12]) Meter.report('TEMP', { value });
    // 110 is 10 % exactly (not more); 100 is 9.9 % of 111; -10.5 is 5 % of -10
    expect(temperatures(gw)).toEqual([100, 111, 99, -10, -12]);
  });

  it('with both, publishes a change beyond both', async () => {
    const gw = await started([meter({ temperature: { deadband: 1, deadbandPercent: 10 } })]);
    for (const value of [5, 5.8, 50, 54, 56]) Meter.report('TEMP', { value });
    expect(temperatures(gw)).toEqual([5, 50, 56]); // 5.8 beyond 10 % but not 1; 54 beyond 1 but not 10 % of 50
  });
});

describe('change only', () => {
  it('publishes a binary or an enum only when it changed, and a status no capability reads when its payload did ([PUBLISH] changeonly)', async () => {
    const gw = await started([meter()], { config: { PUBLISH: { changeonly: true } } });
    for (const state of ['on', 'on', 'off', 'off', 'on']) Meter.report('ALARM', { state });
    for (const mode of ['eco', 'eco', 'comfort']) Meter.report('MODE', { mode });
    for (const n of [1, 1, 2]) Meter.report('UPTIME', { n }); // no capability: by payload
    const actions = gw.published.filter((m) => m.topic === TEMP).map((m) => m.payload);
    expect(actions).toEqual([
      '{"action":"ALARM","state":"on"}',
      '{"action":"ALARM","state":"off"}',
      '{"action":"ALARM","state":"on"}',
      '{"action":"MODE","mode":"eco"}',
      '{"action":"MODE","mode":"comfort"}',
      '{"action":"UPTIME","n":1}',
      '{"action":"UPTIME","n":2}',
    ]);
    expect(gw.counters.suppressed).toBe(4);
  });

  it('lets a capability say otherwise than the device, and the device than the configuration', async () => {
    const gw = await started([meter({ device: { changeOnly: false }, alarm: { changeOnly: true } })], { config: { PUBLISH: { changeonly: true } } });
    for (const value of [1, 1]) Meter.report('TEMP', { value });
    for (const state of ['on', 'on']) Meter.report('ALARM', { state });
    expect(gw.published.filter((m) => m.topic === TEMP)).toHaveLength(3);
  });

  it('publishes a status that reports several capabilities when any of them changed enough', async () => {
    const both = meter({ temperature: { deadband: 1 }, alarm: { changeOnly: true } });
    both.capabilities[1] = { ...both.capabilities[1]!, state: { action: 'TEMP', argument: 'alarm' } };
    const gw = await started([both]);
    const sent = [
      [20, 'off'],
      [20.5, 'off'],
      [20.6, 'on'],
      [21, 'on'],
      [22, 'on'],
    ] as const;
    for (const [value, alarm] of sent) Meter.report('TEMP', { value, alarm });
    expect(temperatures(gw)).toEqual([20, 20.6, 22]);
  });
});

describe('minimum interval and refresh', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));

  it('publishes at most once per interval, the latest value at the end of it', async () => {
    const gw = await started([meter({ temperature: { minInterval: 10 } })]);
    Meter.report('TEMP', { value: 1 });
    jest.advanceTimersByTime(1000);
    Meter.report('TEMP', { value: 2 });
    Meter.report('TEMP', { value: 3 });
    expect(temperatures(gw)).toEqual([1]);
    jest.advanceTimersByTime(8999);
    expect(temperatures(gw)).toEqual([1]);
    jest.advanceTimersByTime(1);
    expect(temperatures(gw)).toEqual([1, 3]);
    jest.advanceTimersByTime(1000);
    Meter.report('TEMP', { value: 4 }); // 1 s after the last one: waits 9 s
    jest.advanceTimersByTime(8999);
    expect(temperatures(gw)).toEqual([1, 3]);
    jest.advanceTimersByTime(1);
    expect(temperatures(gw)).toEqual([1, 3, 4]);
    jest.advanceTimersByTime(20_000);
    Meter.report('TEMP', { value: 5 }); // long after: at once
    expect(temperatures(gw)).toEqual([1, 3, 4, 5]);
    expect(gw.counters).toMatchObject({ published: 4, suppressed: 1 });
  });

  it('applies the deadband to the value the interval lets out', async () => {
    const gw = await started([meter({ temperature: { minInterval: 10, deadband: 0.5 } })]);
    Meter.report('TEMP', { value: 20 });
    Meter.report('TEMP', { value: 25 });
    Meter.report('TEMP', { value: 20.2 }); // the latest wins, and is too close to 20
    jest.advanceTimersByTime(10_000);
    expect(temperatures(gw)).toEqual([20]);
    expect(gw.counters.suppressed).toBe(2);
  });

  it('publishes the latest value again when nothing was published for the refresh period', async () => {
    const gw = await started([meter({ temperature: { refresh: 60, changeOnly: true } })]);
    Meter.report('TEMP', { value: 7 });
    jest.advanceTimersByTime(30_000);
    Meter.report('TEMP', { value: 7 }); // unchanged: not published, and the refresh is still due at 60 s
    jest.advanceTimersByTime(29_999);
    expect(temperatures(gw)).toEqual([7]);
    jest.advanceTimersByTime(1);
    expect(temperatures(gw)).toEqual([7, 7]);
    Meter.report('TEMP', { value: 8 }); // published: the next refresh is 60 s after it
    jest.advanceTimersByTime(59_999);
    expect(temperatures(gw)).toEqual([7, 7, 8]);
    jest.advanceTimersByTime(1);
    expect(temperatures(gw)).toEqual([7, 7, 8, 8]);
    expect(gw.counters).toMatchObject({ refreshed: 2, suppressed: 1, published: 4 });
    expect(gw.published.filter((m) => m.topic === TEMP).every((m) => m.retain === false)).toBe(true);
  });

  it('at stop, publishes a value waiting for its interval and leaves no timer behind', async () => {
    const gw = await started([meter({ temperature: { minInterval: 10, refresh: 60 } })]);
    Meter.report('TEMP', { value: 1 });
    Meter.report('TEMP', { value: 2 });
    expect(jest.getTimerCount()).toBe(2);
    await gw.stop();
    expect(temperatures(gw)).toEqual([1, 2]);
    expect(jest.getTimerCount()).toBe(0);
    expect(gw.published.at(-1)).toMatchObject({ topic: 'test/testgw/availability', payload: 'offline' });
  });
});

describe('retain per capability', () => {
  it('publishes an event capability not retained while [MQTT] retain is on, and a state retained while it is off', async () => {
    const on = await started([meter({ alarm: { retain: false } })], { mqtt: { retain: true } });
    Meter.report('TEMP', { value: 1 });
    Meter.report('ALARM', { state: 'on' });
    Meter.report('UPTIME', { n: 1 });
    expect(on.published.filter((m) => m.topic === TEMP).map((m) => m.retain)).toEqual([true, false, true]);
    const off = await started([meter({ temperature: { retain: true } })]);
    Meter.report('TEMP', { value: 1 });
    Meter.report('ALARM', { state: 'on' });
    expect(off.published.filter((m) => m.topic === TEMP).map((m) => m.retain)).toEqual([true, false]);
  });
});

describe('policies apply to statuses only', () => {
  it('never hold back a command or a reply', async () => {
    const gw = await started([meter({ device: { changeOnly: true, minInterval: 60 } })], { config: { PUBLISH: { changeonly: true, mininterval: 60 } } });
    const cmd = new InternalMessage({ isCmd: true, location: 'Hall', device: 'Meter', action: 'TEMP', arguments: { value: 1 } });
    for (let i = 0; i < 2; i++) {
      Meter.ctx.outgoing.push(cmd.copy());
      Meter.ctx.outgoing.push(cmd.reply('OK', 'done'));
      Meter.ctx.outgoing.push(new InternalMessage({ ...cmd, isCmd: false, correlation: 'req-1' }));
    }
    expect(gw.counters).toMatchObject({ published: 6, suppressed: 0 });
  });
});

describe('extensions', () => {
  it('hear a value once it is published, not one a policy withheld', async () => {
    const heard: number[] = [];
    const listener: GatewayExtension = {
      section: 'LISTENER',
      options: {},
      description: 'Hears states.',
      create: (ctx) => ({ start: () => void ctx.devices.onState((_d, c, v) => c.id === 'temperature' && heard.push(v as number)) }),
    };
    const gw = await started([meter({ temperature: { deadband: 0.5 } })], { extensions: [listener] });
    for (const value of [20, 20.3, 20.6]) Meter.report('TEMP', { value });
    expect(heard).toEqual([20, 20.6]);
    expect(temperatures(gw)).toEqual([20, 20.6]);
  });
});

describe('timestamps', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2025, 0, 2, 3, 4, 5, 678), doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] }));

  it('adds an ISO 8601 or epoch ms timestamp to every status, not to commands', async () => {
    const iso = await started([meter()], { mqtt: { timestamp: 'iso' } });
    Meter.report('TEMP', { value: 1 });
    Meter.report('PING');
    const cmd = new InternalMessage({ isCmd: true, location: 'Hall', device: 'Meter', action: 'RESET' });
    Meter.ctx.outgoing.push(cmd);
    Meter.ctx.outgoing.push(cmd.reply('OK', 'reset'));
    expect(iso.published.filter((m) => m.topic.startsWith('test///Hall')).map((m) => m.payload)).toEqual([
      '{"action":"TEMP","value":1,"timestamp":"2025-01-02T03:04:05.678Z"}',
      '{"action":"PING","timestamp":"2025-01-02T03:04:05.678Z"}',
      'RESET',
      '{"action":"RESET","response":"OK","reason":"reset","timestamp":"2025-01-02T03:04:05.678Z"}',
    ]);
    const ms = await started([meter()], { mqtt: { timestamp: 'epochms' } });
    Meter.report('TEMP', { value: 1, timestamp: 'the device said' }); // its own is kept
    Meter.report('TEMP', { value: 2 });
    expect(ms.published.filter((m) => m.topic === TEMP).map((m) => m.payload)).toEqual([
      '{"action":"TEMP","value":1,"timestamp":"the device said"}',
      `{"action":"TEMP","value":2,"timestamp":${Date.UTC(2025, 0, 2, 3, 4, 5, 678)}}`,
    ]);
  });

  it('stamps a status with the time it was pushed, also when an interval or a refresh publishes it later', async () => {
    const gw = await started([meter({ temperature: { minInterval: 10, refresh: 60 } })], { mqtt: { timestamp: 'epochms' } });
    const t0 = Date.now();
    Meter.report('TEMP', { value: 1 });
    jest.advanceTimersByTime(2000);
    Meter.report('TEMP', { value: 2 });
    jest.advanceTimersByTime(70_000);
    const stamps = gw.published.filter((m) => m.topic === TEMP).map((m) => (JSON.parse(m.payload) as { timestamp: number }).timestamp - t0);
    expect(stamps).toEqual([0, 2000, 2000]);
  });
});

describe('the defaults', () => {
  it('publish every status as pushed, payloads unchanged, retained as [MQTT] retain says', async () => {
    const gw = await started([meter()], { mqtt: { retain: true } });
    const series = [20, 20, 20.1, 20, 20];
    for (const value of series) Meter.report('TEMP', { value });
    Meter.report('ALARM', { state: 'on' });
    Meter.report('ALARM', { state: 'on' });
    Meter.report('PING');
    expect(gw.published.filter((m) => m.topic === TEMP)).toEqual([
      ...series.map((value) => ({ topic: TEMP, payload: `{"action":"TEMP","value":${value}}`, qos: 0, retain: true })),
      { topic: TEMP, payload: '{"action":"ALARM","state":"on"}', qos: 0, retain: true },
      { topic: TEMP, payload: '{"action":"ALARM","state":"on"}', qos: 0, retain: true },
      { topic: TEMP, payload: 'PING', qos: 0, retain: true },
    ]);
    expect(gw.counters).toMatchObject({ published: 8, suppressed: 0, refreshed: 0 });
  });
});

describe('bad input', () => {
  it('refuses a bad [PUBLISH] value, naming the option and what it takes', () => {
    expect(() => createTestGateway(Meter, { config: { PUBLISH: { deadband: '-1' } } })).toThrow('[PUBLISH] deadband = "-1": expected a number >= 0');
    expect(() => createTestGateway(Meter, { mqtt: { timestamp: 'unix' } })).toThrow('[MQTT] timestamp = "unix": expected one of off, iso, epochms');
  });

  it('refuses a bad publish block in a device description, with its path', () => {
    Meter.devices = [meter({ alarm: { deadband: 1 } })];
    expect(() => createTestGateway(Meter)).toThrow(
      expect.objectContaining({
        code: 'DEVICE_INVALID',
        message: expect.stringContaining('$[0].capabilities[1].publish.deadband: is for numbers only, not binary'),
      }),
    );
    Meter.devices = [{ ...meter(), publish: { minInterval: -1 } }];
    expect(() => createTestGateway(Meter)).toThrow('$[0].publish.minInterval: Too small: expected number to be >=0');
    Meter.devices = [meter({ temperature: { dedband: 1 } as never })];
    expect(() => createTestGateway(Meter)).toThrow('$[0].capabilities[0].publish: unknown key "dedband"; did you mean "deadband"?');
  });
});
