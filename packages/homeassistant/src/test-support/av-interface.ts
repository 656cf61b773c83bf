import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { list } from '@mg/core/options';
import { receiver, thermometer } from './devices.js';

const options = {
  devices: list(['avr', 'thermo-1'], 'The sample devices it declares at start.'),
};

/** What each command of the receiver's capabilities reports back, as a device confirms the state it was set to. */
const CONFIRM: Record<string, (args: Record<string, unknown>) => [string, Record<string, unknown>]> = {
  POWER_ON: () => ['POWER', { state: 'on' }],
  POWER_OFF: () => ['POWER', { state: 'off' }],
  VOLUME_SET: (a) => ['VOLUME', { level: a.level }],
  SOURCE_SET: (a) => ['SOURCE', { source: a.source }],
  DISPLAY_SET: (a) => ['DISPLAY', { text: a.text }],
  // The button proves it arrived by turning the signal sensor on.
  MUTE_TGL: () => ['SIGNAL', { present: 'on' }],
};

const pick = (ids: readonly string[]): DeviceInput[] => [receiver, thermometer].filter((d) => ids.includes(d.id));

/**
 * A receiver and a thermometer behind one interface, for the extension's tests: it declares
 * them with `static describe()`, confirms commands with statuses, and reports or rescans on a
 * command of its own (`REPORT` with the status action in `status`, and its arguments; `RESCAN` with `devices`;
 * `AVAILABLE` with `device` and `available` on or off, as a cable pulled and plugged back).
 */
export class AvInterface implements GatewayInterface {
  static readonly options = options;

  static describe(o: { devices: string[] }): DeviceInput[] {
    return pick(o.devices);
  }

  constructor(private readonly ctx: InterfaceContext<typeof options>) {}

  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (!msg.isCmd) continue;
      if (msg.action === 'RESCAN') {
        this.ctx.devices.set(pick(String(msg.arguments.devices ?? '').split(',')));
        continue;
      }
      if (msg.action === 'AVAILABLE') {
        this.ctx.devices.setAvailable(String(msg.arguments.device), msg.arguments.available === 'on', 'test');
        continue;
      }
      if (msg.action === 'REPORT') {
        const { status, ...args } = msg.arguments;
        this.status(msg, String(status), args);
        continue;
      }
      const confirm = CONFIRM[msg.action];
      if (confirm) this.status(msg, ...confirm(msg.arguments));
    }
  }

  private status(cmd: InternalMessage, action: string, args: Record<string, unknown>): void {
    const status = new InternalMessage({ isCmd: false, function: cmd.function, location: cmd.location, device: cmd.device, action, arguments: args as never });
    this.ctx.outgoing.push(status);
  }
}
