import type { GatewayInterface, InterfaceContext, InternalMessage } from '../index.js';

/** Polling: answers every command with reply('OK', ...) and remembers what it saw. */
export class PollingEcho implements GatewayInterface {
  static seen: InternalMessage[] = [];
  constructor(private readonly ctx: InterfaceContext) {
    PollingEcho.seen = [];
  }
  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      PollingEcho.seen.push(msg);
      if (msg.isCmd) this.ctx.outgoing.push(msg.reply('OK', `done ${msg.action}`));
    }
  }
}

/** Event-driven: the same, with async iteration. */
export class EventEcho implements GatewayInterface {
  static seen: InternalMessage[] = [];
  constructor(private readonly ctx: InterfaceContext) {
    EventEcho.seen = [];
  }
  start(): void {
    // start() resolves at once; the message loop runs in the background until the gateway stops.
    void this.run();
  }

  private async run(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) {
      EventEcho.seen.push(msg);
      if (msg.isCmd) this.ctx.outgoing.push(msg.reply('OK', `done ${msg.action}`));
    }
  }
}
