import { commandFor, DeviceError, parseDevices, StateIndex } from './device-binding.js';
import type { DeviceInput } from './device.js';
import { InternalMessage } from './message.js';
import { receiver as receiverFixture } from '@mg/test-helpers';

const receiver: DeviceInput = receiverFixture();

describe('parseDevices', () => {
  it('fills in the defaults', () => {
    const [d] = parseDevices(
      [{ id: 'x', name: 'X', capabilities: [{ id: 'go', name: 'Go', kind: 'trigger', access: 'write', command: { action: 'GO' } }] }],
      'test',
    );
    expect(d!.address).toEqual({ function: '', location: '', device: '' });
  });

  it.each([
    [{ ...receiver, id: 'Living Room' }, '$[0].id: must be lowercase letters, digits and hyphens'],
    [{ ...receiver, capabilities: [{ ...receiver.capabilities[1]!, min: 98, max: 0 }] }, '$[0].capabilities[0].max: must be greater than min (98)'],
    [
      {
        ...receiver,
        capabilities: [
          { id: 'input', name: 'Input', kind: 'enum', command: { action: 'INPUT_SET', argument: 'source' }, state: { action: 'INPUT', argument: 'source' } },
        ],
      },
      '$[0].capabilities[0].options: is required for an enum',
    ],
    [
      { ...receiver, capabilities: [{ id: 'p', name: 'P', kind: 'binary', state: { action: 'POWER', argument: 'state' } }] },
      '$[0].capabilities[0].command: is required: access "readwrite" lets controllers write it',
    ],
    [
      { ...receiver, capabilities: [{ id: 'p', name: 'P', kind: 'binary', access: 'write', command: { actions: { yes: 'ON' } } }] },
      '"yes" is not a value of this binary (on, off)',
    ],
    [
      { ...receiver, capabilities: [receiver.capabilities[0]!, receiver.capabilities[0]!] },
      '$[0].capabilities[1].id: "power" is used twice in device "receiver"',
    ],
    [{ ...receiver, colour: 'red' }, '$[0]: unknown key "colour"'],
  ])('refuses %#, naming the path', (device, message) => {
    expect(() => parseDevices([device as DeviceInput], 'MyInterface.describe()')).toThrow(DeviceError);
    expect(() => parseDevices([device as DeviceInput], 'MyInterface.describe()')).toThrow(message);
  });

  it('refuses two devices with one id', () => {
    expect(() => parseDevices([receiver, receiver], 'x')).toThrow('$[1].id: "receiver" is used by two devices');
  });
});

describe('commandFor', () => {
  const [d] = parseDevices([receiver], 'test');
  const cap = (id: string) => d!.capabilities.find((c) => c.id === id)!;

  it('addresses the device and carries the value in the argument, or picks the action of the value', () => {
    expect(String(commandFor(d!, cap('volume'), 45.5, 'homie'))).toBe(
      'C function=AudioVideo gateway= location=LivingRoom device=Receiver sender=homie action=VOL_SET {"level":45.5}',
    );
    expect(String(commandFor(d!, cap('power'), false, 'homeassistant'))).toContain('action=POWER_OFF');
    expect(String(commandFor(d!, cap('input'), 'TUNER', 'x'))).toContain('action=INPUT_SET {"source":"TUNER"}');
  });

  it('says why a value cannot be sent', () => {
    expect(commandFor(d!, cap('volume'), 120, 'x')).toBe('volume expects a number from 0 to 98, got 120');
    expect(commandFor(d!, cap('input'), 'VINYL', 'x')).toBe('input expects one of CD, TUNER, got "VINYL"');
    expect(commandFor(d!, cap('mute'), true, 'x')).toBe('receiver/mute cannot be written');
    const [x] = parseDevices(
      [{ id: 'x', name: 'X', capabilities: [{ id: 'go', name: 'Go', kind: 'trigger', access: 'write', command: { action: 'GO' } }] }],
      'test',
    );
    expect(commandFor(x!, x!.capabilities[0]!, 'NOT_PRESS', 'x')).toBe('go is a trigger: it takes no value, got "NOT_PRESS"');
    expect(String(commandFor(x!, x!.capabilities[0]!, undefined, 'x'))).toContain('action=GO');
  });
});

describe('StateIndex', () => {
  const index = new StateIndex(parseDevices([receiver], 'test'));
  const status = (action: string, args: Record<string, unknown> = {}, location = 'LivingRoom') =>
    new InternalMessage({ function: 'AudioVideo', location, device: 'Receiver', action, arguments: args as never });

  it('reads values from the statuses of the device, converted to the kind', () => {
    expect(index.updates(status('VOLUME', { level: '45.5' })).map((u) => [u.capability.id, u.value])).toEqual([['volume', 45.5]]);
    expect(index.updates(status('POWER', { state: 'off' })).map((u) => u.value)).toEqual([false]);
    expect(index.updates(status('MUTE_ON')).map((u) => [u.capability.id, u.value])).toEqual([['mute', true]]);
  });

  it('reads a reply as a state only when its command worked', () => {
    const mute = new InternalMessage({ isCmd: true, function: 'AudioVideo', location: 'LivingRoom', device: 'Receiver', action: 'MUTE_ON' });
    expect(index.updates(mute.reply('ERROR', 'the device is not connected'))).toEqual([]);
    expect(index.updates(mute.reply('OK', '')).map((u) => [u.capability.id, u.value])).toEqual([['mute', true]]);
  });

  it('ignores commands, other devices, and values it cannot read', () => {
    expect(index.updates(new InternalMessage({ ...status('VOLUME', { level: 3 }), isCmd: true }))).toEqual([]);
    expect(index.updates(status('VOLUME', { level: 3 }, 'Kitchen'))).toEqual([]);
    expect(index.updates(status('VOLUME', { level: 'loud' }))).toEqual([]);
    expect(index.updates(status('POWER', { state: 'maybe' }))).toEqual([]);
  });
});
