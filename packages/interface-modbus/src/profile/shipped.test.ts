import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIni } from '@mg/config';
import { docOnDisk } from '@mg/test-helpers';
import { registerNumber } from './address.js';
import { loadModbusProfile, shippedModbusProfileNames } from './load.js';
import { planReads } from './planner.js';
import type { CompiledModbusProfile } from './types.js';

const pkg = join(__dirname, '..', '..');
const load = (name: string) => loadModbusProfile(name, pkg);

/** docs/shipped-profiles.md: each shipped profile's entities, from the profiles themselves. */
function renderShippedProfiles(): string {
  const out = [
    '# Shipped profiles',
    '',
    '<!-- Generated from profiles/*.json by src/profile/shipped.test.ts (UPDATE_DOCS=1 rewrites it). -->',
    '',
    'Name one in `[INTERFACE] devices` (`meter:1:eastron-sdm630`); each has an example configuration in',
    '[`examples/`](../examples). Every entity is published as a status (`action`, value in `value`);',
    'Home Assistant and Homie show it as the capability listed. Registers use the notation of the',
    "device's manual (30001 is input register 0, see [Writing a profile](writing-a-profile.md)).",
    '',
  ];
  for (const name of shippedModbusProfileNames()) {
    const p: CompiledModbusProfile = load(name);
    out.push(`## ${name}`, '', p.description, '');
    out.push('| entity | status | register | type | unit | every | capability | commands |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const point of p.points) {
      const cap = p.capabilities.find((c) => c.state && 'action' in c.state && c.state.action === point.action);
      const commands = [...p.commands].filter(([, c]) => c.point === point).map(([action]) => `\`${action}\``);
      const range = cap?.kind === 'number' && cap.min !== undefined ? ` ${cap.min} to ${cap.max ?? '∞'}${cap.step ? ` step ${cap.step}` : ''}` : '';
      const options = cap?.options ? ` (${cap.options.join(', ')})` : '';
      out.push(
        `| ${point.name} | \`${point.action}\` | ${registerNumber(point.table, point.address)} | ${point.type} | ${point.unit ?? ''} | ${point.intervalMs / 1000} s | ${cap ? `${cap.kind}, ${cap.access}${range}${options}` : '(status only)'} | ${commands.join(', ')} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

describe('shipped profiles', () => {
  it.each(shippedModbusProfileNames())('%s loads and declares a capability for each point', (name) => {
    const p = load(name);
    expect(p.name).toBe(name);
    expect(p.derivedCapabilities).toBe(false);
    expect(p.capabilities.map((c) => c.id).sort()).toEqual(p.points.map((x) => x.id).sort());
  });

  it("eastron-sdm630 reads the float32 input registers of Eastron's map", () => {
    const p = load('eastron-sdm630');
    const at = Object.fromEntries(p.points.map((x) => [x.id, [x.table, x.address, x.type, x.unit]]));
    expect(at).toMatchObject({
      'voltage-l1': ['input', 0, 'float32', 'V'],
      'voltage-l2': ['input', 2, 'float32', 'V'],
      'voltage-l3': ['input', 4, 'float32', 'V'],
      'current-l1': ['input', 6, 'float32', 'A'],
      'power-l1': ['input', 12, 'float32', 'W'],
      power: ['input', 52, 'float32', 'W'],
      'power-factor': ['input', 62, 'float32', undefined],
      frequency: ['input', 70, 'float32', 'Hz'],
      'import-energy': ['input', 72, 'float32', 'kWh'],
      'export-energy': ['input', 74, 'float32', 'kWh'],
      'voltage-l1-l2': ['input', 200, 'float32', 'V'],
      'neutral-current': ['input', 224, 'float32', 'A'],
      'total-energy': ['input', 342, 'float32', 'kWh'],
    });
    expect(p.commands.size).toBe(0);
    // ABCD: 230.5 V as the meter sends it.
    expect(p.points[0]!.decode([0x4366, 0x8000])).toBe(230.5);
    const energy = p.capabilities.find((c) => c.id === 'import-energy')!;
    expect(energy.publish).toEqual({ changeOnly: true, refresh: 3600 });
    // Instant values (every 5 s) in four reads with the default maxgap of 8; energies every 30 s.
    const instant = p.points.filter((x) => x.intervalMs === 5000);
    expect(planReads(instant, { maxGap: 8 }).map((b) => [b.address, b.count])).toEqual([
      [0, 18],
      [52, 20],
      [200, 6],
      [224, 2],
    ]);
  });

  it('generic-relay-board switches coils and reads discrete inputs', () => {
    const p = load('generic-relay-board');
    const relay = p.commands.get('RELAY1_ON')!;
    expect([relay.point.table, relay.point.address, relay.point.write, relay.value]).toEqual(['coil', 0, { action: 'RELAY1_SET', fc: 5 }, true]);
    expect(p.commands.get('RELAY4_OFF')!.point.address).toBe(3);
    expect(p.points.filter((x) => x.table === 'discrete').map((x) => x.address)).toEqual([0, 1, 2, 3]);
    expect(planReads(p.points, { maxGap: 8 }).map((b) => [b.table, b.address, b.count])).toEqual([
      ['coil', 0, 4],
      ['discrete', 0, 4],
    ]);
  });

  it('generic-thermostat checks its setpoint and mode before anything is written', () => {
    const p = load('generic-thermostat');
    const setpoint = p.commands.get('SETPOINT_SET')!.point;
    expect([setpoint.table, setpoint.address, setpoint.write]).toEqual(['holding', 0, { action: 'SETPOINT_SET', fc: 6 }]);
    expect(setpoint.check(21.5)).toEqual({ ok: true, value: 21.5 });
    expect(setpoint.encode(21.5)).toEqual([215]);
    expect(setpoint.check(35)).toEqual({ ok: false, reason: 'setpoint expects a number from 5 to 30 in steps of 0.5, got 35' });
    const mode = p.commands.get('MODE_SET')!.point;
    expect(mode.encode(mode.check('auto').ok ? 'auto' : 'off')).toEqual([3]);
    expect(mode.check('boost')).toEqual({ ok: false, reason: 'mode expects one of off, heat, cool, auto, got "boost"' });
    const temperature = p.points.find((x) => x.id === 'temperature')!;
    expect(temperature.decode([0x8000])).toBeNull();
    expect(temperature.decode([0xffec])).toBe(-2);
  });

  it.each(shippedModbusProfileNames())('examples/%s.conf names the profile, an address and the broker', (name) => {
    const ini = parseIni(readFileSync(join(pkg, 'examples', `${name}.conf`), 'utf8'), `${name}.conf`);
    expect(ini.problems).toEqual([]);
    const option = (section: string, key: string) => ini.sections.get(section)?.options.get(key)?.value;
    expect(option('INTERFACE', 'address')).toBe('tcp://192.168.1.50:502');
    expect(option('INTERFACE', 'devices')).toMatch(new RegExp(`^[a-z0-9-]+:1:${name}$`));
    expect(option('MQTT', 'host')).toBe('127.0.0.1');
  });

  it("docs/shipped-profiles.md lists each shipped profile's entities (UPDATE_DOCS=1 rewrites it)", () => {
    const text = renderShippedProfiles();
    expect(docOnDisk(join(pkg, 'docs', 'shipped-profiles.md'), text)).toBe(text);
  });
});
