import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceInput } from '@mg/core';
import { createTestContext, createTestGateway } from '@mg/core/testing';
import { SerialInterface } from '../serial-interface.js';
import { shippedProfilePath } from '../profile/shipped.js';
import { deviceIdFrom } from './device-description.js';
import { serialInterfaceFor } from './launch.js';

const PORT = 'tcp://127.0.0.1:23'; // never opened: nothing here starts the interface

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mg-serial-devices-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped denon-avr, changed and written to a file of `dir`; its path. */
function denonWith(file: string, change: (p: Record<string, unknown>) => void): string {
  const profile = JSON.parse(readFileSync(shippedProfilePath('denon-avr')!, 'utf8')) as Record<string, unknown>;
  delete profile.$schema;
  change(profile);
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

describe('deviceIdFrom', () => {
  it.each([
    ['denon-avr', 'denon-avr'],
    ['ACME Projector_2', 'acme-projector-2'],
    ['--Épée 9000!--', 'epee-9000'],
    ['***', 'serial-device'],
    ['x'.repeat(70), 'x'.repeat(64)],
  ])('%j gives %j', (name, id) => expect(deviceIdFrom(name)).toBe(id));
});

describe('SerialInterface.describe()', () => {
  it('declares the denon-avr receiver, validated by core, addressed as its messages are', () => {
    const { context } = createTestContext(SerialInterface, {
      port: PORT,
      profile: 'denon-avr',
      function: 'AudioVideo',
      location: 'LivingRoom',
      device: 'Receiver',
    });
    const [device, ...others] = context.devices.list();
    expect(others).toEqual([]);
    expect(device).toMatchObject({
      id: 'denon-avr',
      name: 'Receiver',
      manufacturer: 'Denon / Marantz',
      model: 'denon-avr',
      location: 'LivingRoom',
      address: { function: 'AudioVideo', location: 'LivingRoom', device: 'Receiver' },
    });
    expect(device!.capabilities.map((c) => [c.id, c.kind, c.access])).toEqual([
      ['power', 'binary', 'readwrite'],
      ['mute', 'binary', 'readwrite'],
      ['volume', 'number', 'readwrite'],
      ['input', 'enum', 'readwrite'],
    ]);
  });

  it('takes its id and name from deviceid and devicename, and leaves out an empty location', () => {
    const options = { port: PORT, profile: 'denon-avr', deviceid: 'living-avr', devicename: 'Living room receiver' };
    const [device] = SerialInterface.describe(createTestContext(SerialInterface, options).context.options);
    expect(device).toMatchObject({ id: 'living-avr', name: 'Living room receiver', address: { function: '', location: '', device: '' } });
    expect(device).not.toHaveProperty('location');
    // Without device nor devicename: the profile's name.
    expect(SerialInterface.describe(createTestContext(SerialInterface, { port: PORT, profile: 'denon-avr' }).context.options)[0]!.name).toBe('denon-avr');
  });

  it('refuses a deviceid that is not a topic level, as --check would', () => {
    expect(() => createTestContext(SerialInterface, { port: PORT, profile: 'denon-avr', deviceid: 'Living AVR' })).toThrow(
      '[INTERFACE] deviceid = "Living AVR": must be lowercase letters, digits and hyphens',
    );
  });

  it('declares no device for a profile without capabilities', () => {
    const profile = denonWith('plain.json', (p) => delete p.capabilities);
    expect(createTestContext(SerialInterface, { port: PORT, profile }).context.devices.list()).toEqual([]);
  });

  it("refuses a capability that breaks core's rules as the option that names the profile, with the profile's path, as --check does", () => {
    const profile = denonWith('no-options.json', (p) => {
      const input = (p.capabilities as Record<string, unknown>[]).find((c) => c.id === 'input')!;
      delete input.options;
    });
    // Core's capability schema is the profile's: the profile is refused when it loads, before any device is described.
    expect(() => createTestGateway(SerialInterface, { options: { port: PORT, profile } })).toThrow(
      `[INTERFACE] profile = "${profile}": ${profile}: invalid profile, 1 problem:\n  capabilities[3].options: is required for an enum`,
    );
  });

  it('finds a relative profile next to the configuration file in the launcher, as the profile option does', () => {
    denonWith('mine.json', (p) => (p.name = 'My AVR'));
    const Bound = serialInterfaceFor(join(dir, 'serial2mqtt.conf'));
    const { context } = createTestContext(Bound, { port: PORT, profile: 'mine.json' });
    expect(context.devices.list().map((d) => `${d.id} ${d.name} ${d.model}`)).toEqual(['my-avr My AVR My AVR']);
  });

  it('is declared by the constructor when describe() could not find the profile', () => {
    class Unlocated extends SerialInterface {
      static override describe = (): DeviceInput[] => [];
    }
    const { context } = createTestContext(Unlocated, { port: PORT, profile: 'denon-avr', device: 'Receiver' });
    expect(context.devices.list()).toEqual([]);
    new Unlocated(context);
    expect(context.devices.list().map((d) => d.id)).toEqual(['denon-avr']);
  });
});
