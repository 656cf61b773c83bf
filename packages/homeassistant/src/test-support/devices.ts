import type { DeviceInput } from '@mg/core';

/**
 * An AV receiver (Home Assistant has no MQTT media player: it becomes one device with several
 * entities) and a thermometer: every kind and access a capability can have.
 */
export const receiver: DeviceInput = {
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
    { id: 'display', name: 'Display text', kind: 'text', command: { action: 'DISPLAY_SET', argument: 'text' }, state: { action: 'DISPLAY', argument: 'text' } },
    { id: 'mute-toggle', name: 'Mute toggle', kind: 'trigger', access: 'write', command: { action: 'MUTE_TGL' } },
    { id: 'signal', name: 'Signal', kind: 'binary', access: 'read', state: { action: 'SIGNAL', argument: 'present' } },
    { id: 'bass', name: 'Bass', kind: 'number', command: { action: 'BASS_SET', argument: 'level' }, state: { action: 'BASS', argument: 'level' } },
    { id: 'format', name: 'Audio format', kind: 'enum', access: 'read', options: ['stereo', 'dolby', 'dts'], state: { action: 'FORMAT', argument: 'format' } },
    { id: 'title', name: 'Title', kind: 'text', access: 'read', state: { action: 'TITLE', argument: 'text' } },
    { id: 'zone2', name: 'Zone 2', kind: 'binary', access: 'write', command: { actions: { on: 'Z2_ON', off: 'Z2_OFF' } } },
  ],
};

export const thermometer: DeviceInput = {
  id: 'thermo-1',
  name: 'Kitchen thermometer',
  address: { function: 'Heating', location: 'Kitchen', device: 'thermo' },
  capabilities: [{ id: 'temperature', name: 'Temperature', kind: 'number', access: 'read', unit: '°C', state: { action: 'TEMP', argument: 'value' } }],
};
