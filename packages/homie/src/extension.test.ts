import { homieSchemaErrors, homieValueValid } from '@mg/test-helpers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInput, GatewayInterface, InterfaceContext } from '@mg/core';
import { createTestGateway, type TestGateway } from '@mg/core/testing';
import type { DeviceDescription } from './description.js';
import { homie, homieExtension } from './extension.js';
import { Lamps, lamp } from './test-support/lamps.js';

const HALL = 'homie/5/lampgw-hall';
const PORCH = 'homie/5/lampgw-porch';
const ROOT = 'homie/5/lampgw';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

function start(config: Record<string, string> = {}, mqtt: Record<string, string | boolean> = {}, count = 2): Promise<TestGateway> {
  gw = createTestGateway(Lamps, {
    appName: 'lampgw',
    options: { count: String(count) },
    mqtt,
    config: { HOMIE: { enabled: 'on', ...config } },
    extensions: [homie],
  });
  return gw.start().then(() => gw!);
}

const homieOnly = (g: TestGateway) => g.published.filter((m) => m.topic.startsWith('homie/'));
const line = (m: { topic: string; payload: string; retain: boolean; qos: number }) =>
  `${m.topic} ${m.topic.endsWith('$description') && m.payload !== '' ? '<description>' : m.payload}${m.retain ? '' : ' (not retained)'}`;
const description = (g: TestGateway, device: string): DeviceDescription =>
  JSON.parse([...g.published].reverse().find((m) => m.topic === `${device}/$description`)!.payload) as DeviceDescription;

describe('the Homie lifecycle, in memory', () => {
  it('publishes init, every description, then ready (the presence says ready too), all retained', async () => {
    const g = await start();
    expect(homieOnly(g).map(line)).toEqual([
      `${ROOT}/$state ready`, // the presence connection, on its connection
      `${ROOT}/$state init`,
      `${HALL}/$state init`,
      `${HALL}/$description <description>`,
      `${HALL}/$state ready`,
      `${PORCH}/$state init`,
      `${PORCH}/$description <description>`,
      `${PORCH}/$state ready`,
      `${ROOT}/$description <description>`,
      `${ROOT}/$state ready`,
    ]);
    for (const d of [ROOT, HALL, PORCH]) expect(homieSchemaErrors(description(g, d))).toEqual([]);
    expect(description(g, ROOT)).toMatchObject({ name: 'lampgw', children: ['lampgw-hall', 'lampgw-porch'] });
    expect(description(g, HALL)).toMatchObject({ name: 'hall lamp', root: 'lampgw' });
    expect(homieOnly(g).every((m) => m.retain && m.qos === 1)).toBe(true);
  });

  // The one test here that checks a log line's wording, on purpose: the warning is all an
  // operator gets of a value the interface reported that its property cannot hold.
  it('publishes the values the interface reports, retained, and refuses to publish one its property cannot hold (log wording)', async () => {
    const g = await start();
    Lamps.last!.report('hall', 'TEMP', { celsius: 21.5 });
    Lamps.last!.report('porch', 'MODE', { mode: 'boost' });
    Lamps.last!.report('porch', 'MODE', { mode: 'turbo' });
    await g.waitFor((m) => m.topic === `${PORCH}/capabilities/mode`, { since: 'start' });
    expect(homieOnly(g).slice(10).map(line)).toEqual([`${HALL}/capabilities/temperature 21.5`, `${PORCH}/capabilities/mode boost`]);
    expect(g.logs.join('\n')).toContain(`not published on "${PORCH}/capabilities/mode" (not a valid enum): "turbo" is not one of eco,normal,boost`);
  });

  it('a stop says disconnected for every device, then closes the presence', async () => {
    const g = await start();
    await g.stop();
    gw = undefined;
    expect(homieOnly(g).slice(10).map(line)).toEqual([
      `${HALL}/$state disconnected`,
      `${PORCH}/$state disconnected`,
      `${ROOT}/$state disconnected`,
      `${ROOT}/$state disconnected`, // the presence's clean stop
    ]);
  });

  it('says nothing when the interface cannot start', async () => {
    class Broken extends Lamps {
      async start(): Promise<void> {
        throw new Error('no lamp here');
      }
    }
    const g = createTestGateway(Broken, { appName: 'lampgw', options: { count: '1' }, config: { HOMIE: { enabled: 'on' } }, extensions: [homie] });
    await expect(g.start()).rejects.toThrow('no lamp here');
    expect(homieOnly(g)).toEqual([]);
  });

  it('stays off unless enabled', async () => {
    gw = createTestGateway(Lamps, { options: { count: '2' }, extensions: [homie] });
    await gw.start();
    expect(homieOnly(gw)).toEqual([]);
  });
});

describe("a child follows its device's availability", () => {
  it('goes disconnected while the interface says its device cannot be reached, and ready again; the root stays ready', async () => {
    const g = await start();
    Lamps.last!.ctx.devices.setAvailable('hall', false, 'cable pulled');
    await g.waitFor((m) => m.topic === `${HALL}/$state` && m.payload === 'disconnected', { since: 'start' });
    Lamps.last!.ctx.devices.setAvailable('hall', false); // a repeat: nothing more to say
    Lamps.last!.ctx.devices.setAvailable('hall', true);
    await g.waitFor((m) => m.topic === `${HALL}/$state` && m.payload === 'ready' && homieOnly(g).indexOf(m) > 10, { since: 'start' });
    expect(homieOnly(g).slice(10).map(line)).toEqual([`${HALL}/$state disconnected`, `${HALL}/$state ready`]);
    expect(homieOnly(g).every((m) => m.retain && m.qos === 1)).toBe(true);
  });

  it('follows it with [MQTT] deviceavailabilitytopic blank too: its $state is its own topic', async () => {
    const g = await start({}, { deviceavailabilitytopic: '' });
    Lamps.last!.ctx.devices.setAvailable('porch-', false);
    await g.waitFor((m) => m.topic === `${PORCH}/$state` && m.payload === 'disconnected', { since: 'start' });
    expect(g.published.some((m) => m.topic.endsWith('/availability') && m.topic.includes('porch'))).toBe(false);
  });

  it('is described as usual while its device is unreachable, and ends disconnected instead of ready', async () => {
    // The interface knows before the gateway connects: its start() runs first.
    class Unplugged extends Lamps {
      start(): void {
        this.ctx.devices.setAvailable('porch-', false, 'no answer');
      }
    }
    gw = createTestGateway(Unplugged, { appName: 'lampgw', options: { count: '2' }, config: { HOMIE: { enabled: 'on' } }, extensions: [homie] });
    const g = gw;
    await g.start();
    expect(homieOnly(g).map(line)).toEqual([
      `${ROOT}/$state ready`,
      `${ROOT}/$state init`,
      `${HALL}/$state init`,
      `${HALL}/$description <description>`,
      `${HALL}/$state ready`,
      `${PORCH}/$state init`,
      `${PORCH}/$description <description>`,
      `${PORCH}/$state disconnected`,
      `${ROOT}/$description <description>`,
      `${ROOT}/$state ready`,
    ]);
    for (const d of [ROOT, HALL, PORCH]) expect(homieSchemaErrors(description(g, d))).toEqual([]);
    // Declared again, changed, while still unreachable: init, the new description, disconnected.
    Lamps.last!.ctx.devices.set([lamp('hall', 'hall'), lamp('porch-', 'porch', 'Porch light')]);
    expect(homieOnly(g).slice(10).map(line)).toEqual([`${PORCH}/$state init`, `${PORCH}/$description <description>`, `${PORCH}/$state disconnected`]);
    expect(homieSchemaErrors(description(g, PORCH))).toEqual([]);
    Lamps.last!.ctx.devices.setAvailable('porch-', true);
    await g.waitFor((m) => m.topic === `${PORCH}/$state` && m.payload === 'ready', { since: 'start' });
  });
});

describe('/set, with mapping off and on', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-homie-'));
    writeFileSync(
      join(dir, 'lamps.map.json'),
      JSON.stringify({ root: 'home', topics: ['home/+/+/+/+/+/C'], location: { maptype: 'loose', map: { hall: ['entrance'] } } }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['off', {}],
    ['on', () => ({ mapping: true, mapfilename: join(dir, 'lamps.map.json') })],
  ])('mapping %s: each kind reaches the interface as its command, and the new state comes back', async (_mode, mqtt) => {
    const g = await start({}, typeof mqtt === 'function' ? mqtt() : mqtt);
    const set = async (property: string, payload: string, device = HALL) => g.receive(`${device}/capabilities/${property}/set`, payload);
    await set('power', 'true');
    await set('level', '42');
    await set('mode', 'eco');
    await set('label', '\u0000'); // the empty string
    await set('beep', 'press');
    await set('nudge', '2.3');
    await set('power', 'false', PORCH);
    await g.waitFor((m) => m.topic === `${PORCH}/capabilities/power`, { since: 'start' });
    expect(Lamps.commands).toEqual([
      'hall/lamp ON {} from homie',
      'hall/lamp DIM {"level":42} from homie',
      'hall/lamp MODE {"mode":"eco"} from homie',
      'hall/lamp LABEL {"text":""} from homie',
      'hall/lamp BEEP {} from homie',
      'hall/lamp NUDGE {"by":2.5} from homie',
      'porch/lamp OFF {} from homie',
    ]);
    // Sorted: the echoes go out as the /set is taken, the states when the lamp answers.
    expect(homieOnly(g).slice(10).map(line).sort()).toEqual([
      `${HALL}/capabilities/beep press (not retained)`, // a trigger's accepted press, echoed as a momentary event
      `${HALL}/capabilities/label \u0000`,
      `${HALL}/capabilities/level 42`,
      `${HALL}/capabilities/mode eco`,
      `${HALL}/capabilities/nudge 2.5 (not retained)`, // rounded to the step, as accepted
      `${HALL}/capabilities/power true`,
      `${PORCH}/capabilities/power false`,
    ]);
    // Every value published is valid for its property, by node-homie's check.
    for (const m of homieOnly(g).filter((x) => x.topic.includes('/capabilities/'))) {
      const [, , device, , property] = m.topic.split('/');
      const p = description(g, `homie/5/${device}`).nodes!.capabilities!.properties[property!]!;
      expect({ topic: m.topic, valid: homieValueValid(m.payload, p.datatype, p.format) }).toEqual({ topic: m.topic, valid: true });
    }
    // Nothing of Homie's went through the map: no refusals.
    expect(Object.values(g.counters.rejected).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it.each([
    ['power', 'on', 'expects true or false, got "on"'],
    ['level', '101', '101 is outside 0:100'],
    ['mode', 'turbo', 'expects one of eco,normal,boost, got "turbo"'],
    ['temperature', '20', 'the property is not settable'],
    ['beep', 'true', 'expects one of press, got "true"'],
    ['ghost', '1', 'no such device property'],
  ])('refuses %s = %j and says why, sending nothing, counted on the stats topic', async (property, payload, reason) => {
    const g = await start();
    const refused: { direction: string; reason: string; detail: string }[] = [];
    g.gateway.on('refused', (r) => refused.push(r));
    await g.receive(`${HALL}/capabilities/${property}/set`, payload);
    expect(Lamps.commands).toEqual([]);
    expect(refused).toEqual([{ direction: 'incoming', reason: 'invalid-value', detail: expect.stringContaining(reason) as unknown }]);
    expect(g.counters.rejected['invalid-value']).toBe(1);
  });

  it('subscribes to the /set topics of its devices and to the descriptions of the domain only', async () => {
    await start();
    // The memory transport keeps the filters extensions add.
    const transport = (gw!.gateway as unknown as { transport: { subscriptions: string[] } }).transport;
    // And the domain's descriptions, to find the children a previous run declared.
    expect(transport.subscriptions).toEqual(['homie/5/+/$description', `${HALL}/capabilities/+/set`, `${PORCH}/capabilities/+/set`]);
  });

  it('with [MQTT] sharedgroup, shares the /set topics (one replica acts on each write) but not the descriptions', async () => {
    await start({}, { sharedgroup: 'replicas' });
    const transport = (gw!.gateway as unknown as { transport: { subscriptions: string[] } }).transport;
    // The gateway's own (its poll topic, no longer inside the shared map subscription) aside.
    expect(transport.subscriptions.filter((f) => f.includes('homie/'))).toEqual([
      'homie/5/+/$description',
      `$share/replicas/${HALL}/capabilities/+/set`,
      `$share/replicas/${PORCH}/capabilities/+/set`,
    ]);
  });

  it('echoes a non-retained property only once the core has taken the write, not when it refuses it', async () => {
    const g = await start();
    const echoes = () => homieOnly(g).filter((m) => m.topic === `${HALL}/capabilities/beep`).length;
    await g.receive(`${HALL}/capabilities/beep/set`, 'press', { retain: true }); // refused by the core: retained
    expect(g.counters.rejected['invalid-value']).toBe(1);
    expect(echoes()).toBe(0);
    await g.receive(`${HALL}/capabilities/beep/set`, 'press');
    expect(echoes()).toBe(1);
    expect(Lamps.commands).toEqual(['hall/lamp BEEP {} from homie']);
  });
});

describe('devices that change', () => {
  it('publishes a new or changed device with a higher version, updates the root, and clears a removed one', async () => {
    const g = await start();
    const before = { root: description(g, ROOT).version, hall: description(g, HALL).version };
    const attic = lamp('attic', 'attic');
    // The hall lamp loses three capabilities, and its level becomes write-only (no state kept).
    const [power, level] = lamp('hall', 'hall').capabilities as [DeviceInput['capabilities'][number], DeviceInput['capabilities'][number]];
    const { state: _state, ...writeOnly } = level;
    const hall: DeviceInput = { ...lamp('hall', 'hall', 'Hall light'), capabilities: [power, { ...writeOnly, access: 'write' }] };
    Lamps.last!.report('porch', 'POWER', { state: 'on' });
    Lamps.last!.ctx.devices.set([hall, attic]);
    const after = homieOnly(g).slice(11).map(line);
    expect(after).toEqual([
      `${HALL}/$state init`,
      `${HALL}/$description <description>`,
      `${HALL}/$state ready`,
      `${HALL}/capabilities/level `, // no longer retained
      `${HALL}/capabilities/temperature `, // properties the hall lamp no longer has
      `${HALL}/capabilities/mode `,
      `${HALL}/capabilities/label `,
      'homie/5/lampgw-attic/$state init',
      'homie/5/lampgw-attic/$description <description>',
      'homie/5/lampgw-attic/$state ready',
      `${ROOT}/$state init`,
      `${ROOT}/$description <description>`,
      `${ROOT}/$state ready`,
      `${PORCH}/$state `, // removed: $state first, then the rest
      `${PORCH}/$description `,
      `${PORCH}/capabilities/power `,
      `${PORCH}/capabilities/level `,
      `${PORCH}/capabilities/temperature `,
      `${PORCH}/capabilities/mode `,
      `${PORCH}/capabilities/label `,
    ]);
    expect(description(g, HALL).version).toBeGreaterThan(before.hall);
    expect(description(g, HALL).name).toBe('Hall light');
    expect(description(g, ROOT).version).toBeGreaterThan(before.root);
    expect(description(g, ROOT).children).toEqual(['lampgw-hall', 'lampgw-attic']);
    // The same devices again: nothing to say.
    const count = g.published.length;
    Lamps.last!.ctx.devices.set([hall, attic]);
    expect(g.published.length).toBe(count);
  });
});

describe('devices a previous run declared', () => {
  // What a previous run of this gateway left retained: a child it no longer declares (its
  // `$state` still `ready`, as after a crash), with two properties, one of them not retained.
  const attic = {
    homie: '5.0',
    version: 1,
    name: 'attic lamp',
    root: 'lampgw',
    nodes: { capabilities: { name: 'attic lamp', properties: { power: { datatype: 'boolean' }, ping: { datatype: 'string', retained: false } } } },
  };
  const ATTIC = 'homie/5/lampgw-attic';
  const OTHER = 'homie/5/othergw-hall';
  // Fake timers: the settle window passes when the test says, after the retained messages came in.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("are cleared once the retained descriptions have come in, $state first; other roots' devices are left alone", async () => {
    gw = createTestGateway(Lamps, {
      appName: 'lampgw',
      options: { count: '2' },
      config: { HOMIE: { enabled: 'on' } },
      extensions: [homieExtension({ settleMs: 200 })],
    });
    await gw.start();
    const g = gw;
    // Nothing waits for the settle window: the devices are published at once, in their order.
    expect(homieOnly(g).map(line)).toHaveLength(10);
    expect(homieOnly(g).at(-1)!.topic).toBe(`${ROOT}/$state`);
    await g.receive(`${ATTIC}/$description`, attic, { retain: true });
    await g.receive(`${OTHER}/$description`, { ...attic, root: 'othergw' }, { retain: true });
    await g.receive(`${HALL}/$description`, { ...attic, name: 'hall lamp' }, { retain: true }); // declared again: kept
    await g.receive('homie/5/garbage/$description', 'not json', { retain: true });
    expect(homieOnly(g)).toHaveLength(10);
    jest.advanceTimersByTime(200);
    expect(homieOnly(g).slice(10).map(line)).toEqual([
      `${ATTIC}/$state `, // $state first, then the rest ("Removing children")
      `${ATTIC}/$description `,
      `${ATTIC}/capabilities/power `,
    ]);
    expect(
      homieOnly(g)
        .slice(10)
        .every((m) => m.retain),
    ).toBe(true);
    // None of it reached the interface's map, and none of it is cleared twice.
    expect(Object.values(g.counters.rejected).reduce((a, b) => a + b, 0)).toBe(0);
    await g.receive(`${ATTIC}/$description`, attic); // after the window: not read
    jest.advanceTimersByTime(1000);
    expect(homieOnly(g)).toHaveLength(13);
  });

  it('wait for an interface that declares its devices after a scan; then only those the scan did not find are cleared', async () => {
    class Scanner implements GatewayInterface {
      static last: Scanner | undefined;
      constructor(readonly ctx: InterfaceContext) {
        Scanner.last = this;
      }
      loop(): void {}
    }
    gw = createTestGateway(Scanner, { appName: 'lampgw', config: { HOMIE: { enabled: 'on' } }, extensions: [homieExtension({ settleMs: 30 })] });
    const g = gw;
    await g.start();
    await g.receive(`${ATTIC}/$description`, attic, { retain: true });
    await g.receive(`${HALL}/$description`, { ...attic, name: 'hall lamp' }, { retain: true });
    jest.advanceTimersByTime(1000); // the settle window is over; the scan is not
    const cleared = () => homieOnly(g).filter((m) => m.payload === '');
    expect(cleared()).toEqual([]);
    Scanner.last!.ctx.devices.set([lamp('hall', 'hall')]); // the scan found the hall lamp only
    // The hall lamp published first, then the root that no longer lists the attic, then the attic cleared.
    expect(homieOnly(g).map(line).slice(-7)).toEqual([
      `${HALL}/$state ready`,
      `${ROOT}/$state init`,
      `${ROOT}/$description <description>`,
      `${ROOT}/$state ready`,
      `${ATTIC}/$state `,
      `${ATTIC}/$description `,
      `${ATTIC}/capabilities/power `,
    ]);
    expect(cleared().filter((m) => m.topic.startsWith(`${HALL}/`))).toEqual([]);
  });
});

describe('versions across restarts', () => {
  it('a gateway started again gives higher versions, though nothing changed (it cannot know what it said before)', async () => {
    const first = await start();
    const before = [ROOT, HALL, PORCH].map((d) => description(first, d).version);
    await first.stop();
    const second = await start();
    const after = [ROOT, HALL, PORCH].map((d) => description(second, d).version);
    after.forEach((v, i) => expect(v).toBeGreaterThan(before[i]!));
  });
});

describe('[HOMIE] options', () => {
  it('takes the root id from deviceid, made a Homie id, and the name from name', async () => {
    const g = await start({ deviceid: 'Lamps_Upstairs', name: 'Upstairs lamps', prefix: 'myhomie' }, {}, 1);
    expect(description(g, 'myhomie/5/lamps-upstairs')).toMatchObject({ name: 'Upstairs lamps', children: ['lamps-upstairs-hall'] });
    expect(g.logs.filter((l) => l.startsWith('WARN '))).toHaveLength(1); // said once, as a warning
  });

  it.each([
    ['prefix', 'home/homie', 'must be one topic level: no "/", "+", "#"'],
    ['prefix', '', 'is required: give one topic level, e.g. "prefix: homie"'],
    ['enabled', 'maybe', 'expected on/off, true/false, yes/no or 1/0'],
  ])('refuses %s = %j as --check would', (option, value, expected) => {
    expect(() => createTestGateway(Lamps, { config: { HOMIE: { [option]: value } }, extensions: [homie] })).toThrow(
      `[HOMIE] ${option} = ${JSON.stringify(value)}: ${expected}`,
    );
  });
});
