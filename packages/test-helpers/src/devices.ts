// Device descriptions shared by the tests of core, the conventions and serial, written once.
// Typed by shape (test-helpers cannot import @mg/core, which dev-depends on it): each fits
// core's `DeviceInput`. Functions, not constants: each call is a fresh copy a test may change.

/** A capability as core's `capabilitySchema` takes it. */
export interface CapabilityFixture {
  id: string;
  name: string;
  kind: 'binary' | 'number' | 'enum' | 'text' | 'trigger';
  access?: 'read' | 'write' | 'readwrite';
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
  command?: { action: string; argument?: string } | { actions: Record<string, string> };
  state?: { action: string; argument: string } | { actions: Record<string, string> };
}

/** A device as core's `deviceSchema` takes it. */
export interface DeviceFixture {
  id: string;
  name: string;
  manufacturer?: string;
  model?: string;
  location?: string;
  address?: { function?: string; location?: string; device?: string };
  capabilities: CapabilityFixture[];
}

/**
 * A Denon-like receiver as a serial profile describes it: power, volume (0 to 98, step 0.5),
 * input (CD, TUNER) and a read-only mute. Its capabilities' actions are the `denon-avr` profile's.
 */
export function receiver(): DeviceFixture {
  return {
    id: 'receiver',
    name: 'Living room receiver',
    manufacturer: 'Denon',
    address: { function: 'AudioVideo', location: 'LivingRoom', device: 'Receiver' },
    capabilities: [
      { id: 'power', name: 'Power', kind: 'binary', command: { actions: { on: 'POWER_ON', off: 'POWER_OFF' } }, state: { action: 'POWER', argument: 'state' } },
      {
        id: 'volume',
        name: 'Volume',
        kind: 'number',
        min: 0,
        max: 98,
        step: 0.5,
        command: { action: 'VOL_SET', argument: 'level' },
        state: { action: 'VOLUME', argument: 'level' },
      },
      {
        id: 'input',
        name: 'Input',
        kind: 'enum',
        options: ['CD', 'TUNER'],
        command: { action: 'INPUT_SET', argument: 'source' },
        state: { action: 'INPUT', argument: 'source' },
      },
      { id: 'mute', name: 'Mute', kind: 'binary', access: 'read', state: { actions: { MUTE_ON: 'on', MUTE_OFF: 'off' } } },
    ],
  };
}

/** One of `receiver()`'s capabilities, by id (a fresh copy). */
export function receiverCapability(id: 'power' | 'volume' | 'input' | 'mute'): CapabilityFixture {
  return receiver().capabilities.find((c) => c.id === id)!;
}

/**
 * An AV receiver with every kind and access a capability can have (Home Assistant has no MQTT
 * media player: it becomes one device with several entities).
 */
export function avReceiver(): DeviceFixture {
  return {
    id: 'avr',
    name: 'Living room receiver',
    manufacturer: 'Denon',
    model: 'AVR-X1600H',
    location: 'Living room',
    address: { function: 'AudioVideo', location: 'Living', device: 'avr' },
    capabilities: [
      { id: 'power', name: 'Power', kind: 'binary', command: { actions: { on: 'POWER_ON', off: 'POWER_OFF' } }, state: { action: 'POWER', argument: 'state' } },
      {
        id: 'volume',
        name: 'Volume',
        kind: 'number',
        unit: 'dB',
        min: -80,
        max: 18,
        step: 0.5,
        command: { action: 'VOLUME_SET', argument: 'level' },
        state: { action: 'VOLUME', argument: 'level' },
      },
      {
        id: 'source',
        name: 'Source',
        kind: 'enum',
        options: ['cd', 'tuner', 'hdmi1'],
        command: { action: 'SOURCE_SET', argument: 'source' },
        state: { action: 'SOURCE', argument: 'source' },
      },
      {
        id: 'display',
        name: 'Display text',
        kind: 'text',
        command: { action: 'DISPLAY_SET', argument: 'text' },
        state: { action: 'DISPLAY', argument: 'text' },
      },
      { id: 'mute-toggle', name: 'Mute toggle', kind: 'trigger', access: 'write', command: { action: 'MUTE_TGL' } },
      { id: 'signal', name: 'Signal', kind: 'binary', access: 'read', state: { action: 'SIGNAL', argument: 'present' } },
      { id: 'bass', name: 'Bass', kind: 'number', command: { action: 'BASS_SET', argument: 'level' }, state: { action: 'BASS', argument: 'level' } },
      {
        id: 'format',
        name: 'Audio format',
        kind: 'enum',
        access: 'read',
        options: ['stereo', 'dolby', 'dts'],
        state: { action: 'FORMAT', argument: 'format' },
      },
      { id: 'title', name: 'Title', kind: 'text', access: 'read', state: { action: 'TITLE', argument: 'text' } },
      { id: 'zone2', name: 'Zone 2', kind: 'binary', access: 'write', command: { actions: { on: 'Z2_ON', off: 'Z2_OFF' } } },
    ],
  };
}

/** A read-only kitchen thermometer. */
export function thermometer(): DeviceFixture {
  return {
    id: 'thermo-1',
    name: 'Kitchen thermometer',
    address: { function: 'Heating', location: 'Kitchen', device: 'thermo' },
    capabilities: [{ id: 'temperature', name: 'Temperature', kind: 'number', access: 'read', unit: '°C', state: { action: 'TEMP', argument: 'value' } }],
  };
}

/** A lamp at `location` with one capability of every kind and access the core knows. */
export function lamp(id: string, location: string, name = `${location} lamp`): DeviceFixture {
  return {
    id,
    name,
    manufacturer: 'Test',
    address: { location, device: 'lamp' },
    capabilities: [
      { id: 'power', name: 'Power', kind: 'binary', command: { actions: { on: 'ON', off: 'OFF' } }, state: { action: 'POWER', argument: 'state' } },
      {
        id: 'level',
        name: 'Level',
        kind: 'number',
        unit: '%',
        min: 0,
        max: 100,
        step: 1,
        command: { action: 'DIM', argument: 'level' },
        state: { action: 'LEVEL', argument: 'level' },
      },
      { id: 'temperature', name: 'Temperature', kind: 'number', unit: '°C', access: 'read', state: { action: 'TEMP', argument: 'celsius' } },
      {
        id: 'mode',
        name: 'Mode',
        kind: 'enum',
        options: ['eco', 'normal', 'boost'],
        command: { action: 'MODE', argument: 'mode' },
        state: { action: 'MODE', argument: 'mode' },
      },
      { id: 'label', name: 'Label', kind: 'text', command: { action: 'LABEL', argument: 'text' }, state: { action: 'LABEL', argument: 'text' } },
      { id: 'beep', name: 'Beep', kind: 'trigger', access: 'write', command: { action: 'BEEP' } },
      { id: 'nudge', name: 'Nudge', kind: 'number', access: 'write', min: -10, max: 10, step: 0.5, command: { action: 'NUDGE', argument: 'by' } },
    ],
  };
}
