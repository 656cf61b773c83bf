// Retain per capability and timestamps, end to end on a real broker: what a late subscriber gets.
import { connectClient, retainedUnder, SHARED_BROKER_URL, sweepRetained, uniqueRoot } from '@mg/test-helpers';
import { createGateway, type DeviceInput } from '../index.js';
import { memoryLogging } from '../testing/index.js';
import { meter, Meter } from '../test-support/meter.js';

/** The meter (its temperature a state) and a siren whose alarm is an event, on topics of their own. */
function devices(publish: { temperature?: { retain: boolean }; alarm?: { retain: boolean } }): DeviceInput[] {
  const m = meter({ temperature: publish.temperature });
  const siren = meter({ alarm: publish.alarm });
  return [
    { ...m, capabilities: [m.capabilities[0]!] },
    { ...siren, id: 'siren', name: 'Siren', address: { location: 'Hall', device: 'Siren' }, capabilities: [siren.capabilities[1]!] },
  ];
}

describe('on a real broker', () => {
  const roots: string[] = [];
  afterAll(async () => {
    await sweepRetained(roots.map((r) => `${r}/#`));
  });

  it('keeps the state retained and not the event: a capability says so against [MQTT] retain, either way; timestamps are in the payloads', async () => {
    for (const [mqtt, described, stamp] of [
      [{ retain: true, timestamp: 'iso' }, devices({ alarm: { retain: false } }), /^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/],
      [{ retain: false, timestamp: 'epochms' }, devices({ temperature: { retain: true } }), /^\d{13}$/],
    ] as const) {
      const root = uniqueRoot('retain');
      roots.push(root);
      Meter.devices = described;
      const { hostname, port } = new URL(SHARED_BROKER_URL);
      const gateway = createGateway(Meter, {
        appName: 'meter2mqtt',
        config: { MQTT: { host: hostname, port: Number(port || 1883), root, topics: `${root}/+/+/+/+/+/C`, statsinterval: 0, ...mqtt } },
        logging: memoryLogging('meter2mqtt'),
      });
      const live = await connectClient(SHARED_BROKER_URL);
      try {
        await live.subscribe(`${root}/+/+/+/+/+/S`, 1);
        const before = Date.now();
        await gateway.start();
        Meter.report('TEMP', { value: 21.5 });
        Meter.report('ALARM', { state: 'on' }, 'Siren');
        const temp = await live.waitFor((m) => m.topic === `${root}///Hall/Meter/meter2mqtt/S`, 'the temperature');
        const alarm = await live.waitFor((m) => m.topic === `${root}///Hall/Siren/meter2mqtt/S`, 'the alarm');
        for (const m of [temp, alarm]) {
          const { timestamp, ...rest } = JSON.parse(m.payload) as Record<string, unknown>;
          expect(JSON.stringify(timestamp)).toMatch(stamp);
          const at = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp as string);
          expect(at).toBeGreaterThanOrEqual(before);
          expect(at).toBeLessThanOrEqual(Date.now());
          expect(Object.keys(rest)).toEqual(['action', m === temp ? 'value' : 'state']);
        }
        // A late subscriber: the broker kept the state, not the event.
        const kept = await retainedUnder(`${root}/+/+/+/+/+/S`);
        expect(kept.map((m) => m.topic)).toEqual([`${root}///Hall/Meter/meter2mqtt/S`]);
        expect(JSON.parse(kept[0]!.payload)).toMatchObject({ action: 'TEMP', value: 21.5 });
      } finally {
        await gateway.stop();
        await live.end();
      }
    }
  });
});
