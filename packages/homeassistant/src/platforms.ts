import type { Capability } from '@mg/core';

/** The Home Assistant MQTT platforms capabilities become (it has no MQTT media player: an AV receiver is one device with several of these). */
export type Platform = 'switch' | 'binary_sensor' | 'number' | 'sensor' | 'select' | 'text' | 'button';

/** The platform of a capability: writable ones are controls, read-only ones sensors, triggers buttons. */
export function platformFor(c: Capability): Platform {
  const writable = c.access !== 'read';
  switch (c.kind) {
    case 'binary':
      return writable ? 'switch' : 'binary_sensor';
    case 'number':
      return writable ? 'number' : 'sensor';
    case 'enum':
      return writable ? 'select' : 'sensor';
    case 'text':
      return writable ? 'text' : 'sensor';
    case 'trigger':
      return 'button';
  }
}

/** Whether Home Assistant reads a state for it (a write-only control is optimistic in Home Assistant). */
export function hasState(c: Capability): boolean {
  return c.access !== 'write' && c.kind !== 'trigger';
}

/** Whether Home Assistant writes it. */
export function hasCommand(c: Capability): boolean {
  return c.access !== 'read';
}
