import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { avReceiver, thermometer } from '@mg/test-helpers';

/** What each command of the receiver reports back, as a device confirms the state it was set to. */
const CONFIRM: Record<string, (args: Record<string, unknown>) => [string, Record<string, unknown>]> = {
  POWER_ON: () => ['POWER', { state: 'on' }],
  POWER_OFF: () => ['POWER', { state: 'off' }],
  VOLUME_SET: (a) => ['VOLUME', { level: a.level }],
  SOURCE_SET: (a) => ['SOURCE', { source: a.source }],
  // The button proves it arrived by turning the signal sensor on.
  MUTE_TGL: () => ['SIGNAL', { present: 'on' }],
};

/**
 * A receiver and a thermometer behind one interface, for the web server's tests: declared with
 * `static describe()`, commands confirmed with statuses; `REPORT` (status action in `status`,
 * its arguments) makes it report, `AVAILABLE` (`device`, `available` on or off) sets a device's
 * availability, as a cable pulled and plugged back.
 */
export class AvInterface implements GatewayInterface {
  static describe(): DeviceInput[] {
    return [avReceiver(), thermometer()] as DeviceInput[];
  }

  constructor(private readonly ctx: InterfaceContext) {}

  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (!msg.isCmd) continue;
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
    this.ctx.outgoing.push(
      new InternalMessage({ isCmd: false, function: cmd.function, location: cmd.location, device: cmd.device, action, arguments: args as never }),
    );
  }
}
