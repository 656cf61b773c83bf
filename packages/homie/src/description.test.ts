import { homieSchemaErrors } from '@mg/test-helpers';
import type { Device, DeviceInput } from '@mg/core';
import { parseDevices } from '@mg/core/devices';
import { buildTree, describeChild, describeRoot, NODE_ID, type DeviceDescription } from './description.js';
import { isHomieId } from './ids.js';
import { Lamps, lamp } from './test-support/lamps.js';
import { DescriptionVersions } from './versions.js';

/** Devices validated by the core, defaults filled in, as an interface would declare them. */
function devices(list: DeviceInput[]): Device[] {
  return parseDevices(list, 'test sample');
}

const ODD: DeviceInput[] = [
  lamp('hall', 'hall'),
  lamp('porch-', 'porch'), // valid for the core, not for Homie (ends with a hyphen)
  {
    id: 'amp',
    name: 'Living room amplifier',
    capabilities: [
      {
        id: 'volume-',
        name: 'Volume',
        kind: 'number',
        unit: 'dB',
        min: -80.5,
        max: 18,
        step: 0.5,
        command: { action: 'VOL', argument: 'db' },
        state: { action: 'VOL', argument: 'db' },
      },
      {
        id: 'source',
        name: 'Source',
        kind: 'enum',
        options: ['cd', 'tuner, fm'],
        command: { action: 'SRC', argument: 's' },
        state: { action: 'SRC', argument: 's' },
      },
      { id: 'mute', name: 'Mute', kind: 'binary', access: 'read', state: { actions: { MUTED: 'on', UNMUTED: 'off' } } },
    ],
  },
  { id: 'amp-', name: 'Second amplifier', capabilities: [{ id: 'x', name: 'X', kind: 'text', access: 'read', state: { action: 'X', argument: 'x' } }] },
];

function describeAll(list: Device[], rootId = 'lamp2mqtt'): Map<string, DeviceDescription> {
  const tree = buildTree({ id: rootId, name: 'Lamp gateway' }, list);
  const versions = new DescriptionVersions(() => 1_700_000_000_000);
  const out = new Map<string, DeviceDescription>();
  for (const child of tree.children) out.set(child.id, versions.stamp(child.id, describeChild(tree, child)).description);
  out.set(rootId, versions.stamp(rootId, describeRoot(tree)).description);
  return out;
}

describe('the $description documents', () => {
  it.each([
    ['the test lamps', devices(Lamps.describe({ count: '3' }))],
    ['devices with ids Homie refuses, and every kind', devices(ODD)],
    ['no devices at all', []],
  ])('are all valid for the JSON Schema of node-homie@5: %s', (_what, list) => {
    const all = describeAll(list);
    expect(all.size).toBe(list.length + 1);
    for (const [id, description] of all) {
      expect({ id, errors: homieSchemaErrors(description) }).toEqual({ id, errors: [] });
      // The schema's id pattern is escaped twice in node-homie@5 (it lets anything through), so the ids are checked here too.
      expect(isHomieId(id)).toBe(true);
      for (const c of [...(description.children ?? []), ...(description.root ? [description.root] : [])]) expect(isHomieId(c)).toBe(true);
      for (const node of Object.values(description.nodes ?? {})) for (const p of Object.keys(node.properties)) expect(isHomieId(p)).toBe(true);
    }
  });

  it('the schema is live: it refuses what the convention refuses', () => {
    expect(homieSchemaErrors({ homie: '5.0', version: 1, name: 'x' })).toEqual([]);
    expect(homieSchemaErrors({ homie: '4.0', version: 1 })).not.toEqual([]);
    expect(homieSchemaErrors({ homie: '5.0', version: 1.5 })).not.toEqual([]);
    expect(homieSchemaErrors({ homie: '5.0' })).not.toEqual([]);
    expect(homieSchemaErrors({ homie: '5.0', version: 1, nodes: { n: { properties: { p: { datatype: 'number' } } } } })).not.toEqual([]);
    expect(homieSchemaErrors({ homie: '5.0', version: 1, manufacturer: 'x' })).not.toEqual([]);
  });

  it('makes the gateway the root and every device a child, with ids unique per gateway', () => {
    const all = describeAll(devices(ODD));
    expect([...all.keys()]).toEqual(['lamp2mqtt-hall', 'lamp2mqtt-porch', 'lamp2mqtt-amp', 'lamp2mqtt-amp-2', 'lamp2mqtt']);
    expect(all.get('lamp2mqtt')).toEqual({
      homie: '5.0',
      version: 1_700_000_000_004,
      name: 'Lamp gateway',
      children: ['lamp2mqtt-hall', 'lamp2mqtt-porch', 'lamp2mqtt-amp', 'lamp2mqtt-amp-2'],
    });
    const amp = all.get('lamp2mqtt-amp')!;
    expect(amp).toEqual({
      homie: '5.0',
      version: 1_700_000_000_002,
      name: 'Living room amplifier',
      root: 'lamp2mqtt',
      nodes: {
        [NODE_ID]: {
          name: 'Living room amplifier',
          properties: {
            volume: { name: 'Volume', datatype: 'float', format: '-80.5:18:0.5', unit: 'dB', settable: true, retained: true },
            source: { name: 'Source', datatype: 'string', settable: true, retained: true },
            mute: { name: 'Mute', datatype: 'boolean', settable: false, retained: true },
          },
        },
      },
    });
    expect(Object.keys(all.get('lamp2mqtt-hall')!.nodes![NODE_ID]!.properties)).toEqual(['power', 'level', 'temperature', 'mode', 'label', 'beep', 'nudge']);
  });
});

describe('DescriptionVersions', () => {
  it('keeps the version of an unchanged document and gives a higher one to a changed one, even within a millisecond', () => {
    let now = 1000;
    const v = new DescriptionVersions(() => now);
    const doc = { homie: '5.0', name: 'a' };
    expect(v.stamp('a', doc)).toEqual({ description: { homie: '5.0', version: 1000, name: 'a' }, changed: true });
    expect(v.stamp('a', { ...doc })).toEqual({ description: { homie: '5.0', version: 1000, name: 'a' }, changed: false });
    expect(v.stamp('a', { ...doc, name: 'b' }).description.version).toBe(1001);
    now = 900; // the clock went back a little
    expect(v.stamp('a', { ...doc, name: 'c' }).description.version).toBe(1002);
    now = 5000;
    expect(v.stamp('a', { ...doc, name: 'd' }).description.version).toBe(5000);
  });
});
