// A meter that reports what the test tells it to, for the publish policy tests.
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '../index.js';
import type { PublishPolicy } from '../devices.js';

/** A meter: a temperature (number), an alarm (binary, an event), a mode (enum). */
export function meter(publish: { device?: PublishPolicy; temperature?: PublishPolicy; alarm?: PublishPolicy; mode?: PublishPolicy } = {}): DeviceInput {
  return {
    id: 'meter',
    name: 'Hall meter',
    address: { location: 'Hall', device: 'Meter' },
    ...(publish.device ? { publish: publish.device } : {}),
    capabilities: [
      {
        id: 'temperature',
        name: 'Temperature',
        kind: 'number',
        access: 'read',
        unit: '°C',
        state: { action: 'TEMP', argument: 'value' },
        ...(publish.temperature ? { publish: publish.temperature } : {}),
      },
      {
        id: 'alarm',
        name: 'Alarm',
        kind: 'binary',
        access: 'read',
        state: { action: 'ALARM', argument: 'state' },
        ...(publish.alarm ? { publish: publish.alarm } : {}),
      },
      {
        id: 'mode',
        name: 'Mode',
        kind: 'enum',
        access: 'read',
        options: ['eco', 'comfort'],
        state: { action: 'MODE', argument: 'mode' },
        ...(publish.mode ? { publish: publish.mode } : {}),
      },
    ],
  };
}

/** Event-driven (no polling timer, so fake timers drive only the policies); the test pushes its statuses. */
export class Meter implements GatewayInterface {
  /** What describe() declares: set by the test before it builds the gateway. */
  static devices: DeviceInput[] = [meter()];
  static describe = (): DeviceInput[] => Meter.devices;
  static ctx: InterfaceContext;
  constructor(ctx: InterfaceContext) {
    Meter.ctx = ctx;
  }
  start(): void {}

  /** Pushes a status of the meter (or another device of the hall): `TEMP {"value": 20.5}`. */
  static report(action: string, args: Record<string, unknown> = {}, device = 'Meter'): void {
    Meter.ctx.outgoing.push(new InternalMessage({ location: 'Hall', device, action, arguments: args as never }));
  }
}
