import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { dummyOptions } from './options.js';

/**
 * The dummy interface: it talks to no device, but does what every interface does, so it
 * proves an installation and is the template for a new gateway. Copy it, rename it, and
 * replace the marked places with your device's code.
 *
 * It runs in polling mode: the gateway calls `loop()` as soon as messages arrive, and at least
 * every `[MQTT] timeout` seconds, and publishes whatever it pushes to `ctx.outgoing`.
 */
export class DummyInterface implements GatewayInterface {
  /** The `[INTERFACE]` options this interface reads: they type `ctx.options`. */
  static readonly options = dummyOptions;

  /**
   * The devices it serves, for the conventions the launcher ships (Home Assistant discovery,
   * Homie): one mute switch. Writes reach loop() as MUTE_ON / MUTE_OFF commands addressed to
   * AudioVideo in the Office. Write-only: the dummy reports no state (a device that does gives
   * its capability a `state` binding and access "readwrite", see docs/conventions.md).
   */
  static describe(): DeviceInput[] {
    return [
      {
        id: 'dummy',
        name: 'Dummy device',
        manufacturer: '@mg',
        model: 'dummy',
        location: 'Office',
        address: { function: 'AudioVideo', location: 'Office' },
        capabilities: [
          {
            id: 'mute',
            name: 'Mute',
            kind: 'binary',
            access: 'write',
            command: { actions: { on: 'MUTE_ON', off: 'MUTE_OFF' } },
          },
        ],
      },
    ];
  }
  private readonly intervalMs: number;
  private nextPush = 0;

  // The constructor only reads options: device I/O belongs in start().
  constructor(private readonly ctx: InterfaceContext<typeof dummyOptions>) {
    this.intervalMs = ctx.options.interval * 1000;
  }

  start(): void {
    // Your device: open the port here (and resolve once it is ready).
    this.nextPush = Date.now() + this.intervalMs;
    this.ctx.logger.info(`dummy interface ready on port ${this.ctx.options.port}; MUTE_ON every ${this.intervalMs / 1000} s`);
  }

  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      // Your device: send it the command.
      this.ctx.logger.info(`received ${msg.toString()}`);
    }
    const now = Date.now();
    if (now >= this.nextPush) {
      this.nextPush = now + this.intervalMs;
      // Your device: push what it reports.
      const msg = new InternalMessage({ isCmd: true, function: 'DummyFunction', location: 'Office', action: 'MUTE_ON' });
      this.ctx.logger.info(`pushing ${msg.toString()}`);
      this.ctx.outgoing.push(msg);
    }
  }

  stop(): void {
    // Your device: close the port here.
  }
}
