import { InternalMessage, requireParam, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { parseInterval } from './interval.js';

/**
 * The dummy interface: it talks to no device, but does what every interface does, so it
 * proves an installation and is the template for a new gateway. Copy it, rename it, and
 * replace the two marked places with your device's code.
 *
 * It runs in polling mode: the gateway calls `loop()` every `[MQTT] timeout` seconds and
 * publishes whatever `loop()` pushed to `ctx.outgoing`.
 */
export class DummyInterface implements GatewayInterface {
  private readonly intervalMs: number;
  private nextPush: number;

  constructor(private readonly ctx: InterfaceContext) {
    // Read [INTERFACE] options here and fail early: a thrown error stops the gateway at start
    // with this message. A real interface would open its serial port or socket here.
    const port = requireParam(ctx, 'port', 'give the device the interface talks to, e.g. "port: /dev/ttyUSB0" (the dummy opens nothing)');
    this.intervalMs = parseInterval(ctx.params.interval, ctx.configFile) * 1000;
    this.nextPush = Date.now() + this.intervalMs;
    ctx.logger.info(`dummy interface ready on port ${port}; MUTE_ON every ${this.intervalMs / 1000} s`);
  }

  loop(): void {
    // 1. Messages from MQTT, already translated to the internal vocabulary. A real interface
    //    would send a command to its device here, then answer with msg.reply('OK', '...').
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      this.ctx.logger.info(`received ${msg.toString()}`);
    }
    // 2. Messages for MQTT. A real interface would read its device here; the dummy sends a
    //    command of its own at a fixed interval. The sender is left empty: the gateway fills
    //    in its own name, and ignores the message when the broker sends it back.
    const now = Date.now();
    if (now >= this.nextPush) {
      this.nextPush = now + this.intervalMs;
      const msg = new InternalMessage({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON' });
      this.ctx.logger.info(`pushing ${msg.toString()}`);
      this.ctx.outgoing.push(msg);
    }
  }
}
