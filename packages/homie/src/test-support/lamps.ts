import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { lamp } from '@mg/test-helpers';

export { lamp };

/** The devices `Lamps` declares: `[INTERFACE] count` lamps; the second one's id ends with a hyphen (a valid core id, not a Homie one). */
function lampsFor(count: number): DeviceInput[] {
  return [lamp('hall', 'hall'), lamp('porch-', 'porch'), lamp('attic', 'attic')].slice(0, count);
}

/**
 * A gateway interface driving lamps that exist only in memory: every command is recorded and
 * answered with the status a real lamp would send back; triggers and nudges are only recorded.
 */
export class Lamps implements GatewayInterface {
  static describe = (options: Record<string, string>): DeviceInput[] => lampsFor(Number(options.count ?? 2));
  /** Every command received, as `location/device ACTION {args}`, across instances (a test runs one gateway at a time). */
  static commands: string[] = [];
  static last: Lamps | undefined;

  constructor(readonly ctx: InterfaceContext) {
    Lamps.commands = [];
    Lamps.last = this;
  }

  loop(): void {
    for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) {
      if (!m.isCmd) continue;
      Lamps.commands.push(`${m.location}/${m.device} ${m.action} ${JSON.stringify(m.arguments)} from ${m.sender}`);
      const reply = (action: string, args: Record<string, string | number>) =>
        this.ctx.outgoing.push(new InternalMessage({ location: m.location, device: m.device, action, arguments: args }));
      if (m.action === 'ON' || m.action === 'OFF') reply('POWER', { state: m.action === 'ON' ? 'on' : 'off' });
      if (m.action === 'DIM') reply('LEVEL', { level: Number(m.argument('level')) });
      if (m.action === 'MODE') reply('MODE', { mode: String(m.argument('mode')) });
      if (m.action === 'LABEL') reply('LABEL', { text: String(m.argument('text')) });
    }
  }

  /** A status as the lamp at `location` would send it unasked. */
  report(location: string, action: string, args: Record<string, string | number>): void {
    this.ctx.outgoing.push(new InternalMessage({ location, device: 'lamp', action, arguments: args }));
  }
}
