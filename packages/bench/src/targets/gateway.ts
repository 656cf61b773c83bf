// The @mg gateway with an echo interface: every command is answered with reply('OK', ''),
// carrying the load generator's sequence number and timestamp back for the collector.
import { startGateway, type GatewayInterface, type InterfaceContext, type InternalMessage } from '@mg/core';
import { answerStats } from '../protocol.js';

const echo = (msg: InternalMessage) => {
  const r = msg.reply('OK', '');
  r.arguments.seq = msg.arguments.seq ?? null;
  r.arguments.ts = msg.arguments.ts ?? null;
  return r;
};

class EventEcho implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  async start(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) this.ctx.outgoing.push(echo(msg));
  }
}

class PollingEcho implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  loop(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) this.ctx.outgoing.push(echo(msg));
  }
}

const [conf, mode] = process.argv.slice(2);
answerStats();
void startGateway(mode === 'polling' ? PollingEcho : EventEcho, { appName: 'benchgw', argv: ['-c', conf!] }).then((handle) => {
  // Ready once connected and subscribed: poll the counters the gateway keeps.
  const wait = setInterval(() => {
    if (handle.counters.connections > 0) {
      clearInterval(wait);
      setTimeout(() => process.send?.({ type: 'ready' }), 200);
    }
  }, 20);
});
