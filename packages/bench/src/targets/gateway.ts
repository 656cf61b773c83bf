// The @mg gateway with an echo interface: every command is answered with reply('OK', ''),
// carrying the load generator's sequence number and timestamp back for the collector.
import { startGateway, type GatewayInterface, type InterfaceContext, type InternalMessage } from '@mg/core';
import { answerStats, type Behaviour } from '../protocol.js';

// Set by the orchestrator before a phase (IPC): a slow or a stuck interface.
let behaviour: Behaviour = {};
let stuckUntil = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
process.on('message', (m: { type?: string; behaviour?: Behaviour }) => {
  if (m?.type !== 'behave') return;
  behaviour = m.behaviour ?? {};
  stuckUntil = behaviour.stuckMs ? Date.now() + behaviour.stuckMs : 0;
  process.send?.({ type: 'behaving' });
});
/** Waits while stuck; then the device time of one message, if any. */
async function device(): Promise<void> {
  if (stuckUntil > Date.now()) await sleep(stuckUntil - Date.now());
  if (behaviour.delayMs) await sleep(behaviour.delayMs);
}
const plain = () => stuckUntil === 0 && !behaviour.delayMs;

const echo = (msg: InternalMessage) => {
  const r = msg.reply('OK', '');
  r.arguments.seq = msg.arguments.seq ?? null;
  r.arguments.ts = msg.arguments.ts ?? null;
  return r;
};

class EventEcho implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  start(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) {
      if (!plain()) await device();
      this.ctx.outgoing.push(echo(msg));
    }
  }
}

class PollingEcho implements GatewayInterface {
  constructor(private readonly ctx: InterfaceContext) {}
  loop(): void | Promise<void> {
    if (!plain()) return this.slowLoop();
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) this.ctx.outgoing.push(echo(msg));
  }

  private async slowLoop(): Promise<void> {
    if (stuckUntil > Date.now()) return; // takes nothing this turn
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      await device();
      this.ctx.outgoing.push(echo(msg));
    }
  }
}

const [conf, mode] = process.argv.slice(2);
answerStats();
void startGateway(mode === 'polling' ? PollingEcho : EventEcho, { appName: 'benchgw', argv: ['-c', conf!] }).then((handle) => {
  // Ready once connected and subscribed: poll the counters the gateway keeps.
  const wait = setInterval(() => {
    if ((handle.gateway?.counters.connections ?? 0) > 0) {
      clearInterval(wait);
      setTimeout(() => process.send?.({ type: 'ready' }), 200);
    }
  }, 20);
});
