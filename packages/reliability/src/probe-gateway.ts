// probe2mqtt: a real gateway process whose interface tells the suite (over IPC) every command
// it received, and pushes or misbehaves on request. Started with fork() by probe.ts.
//
// [INTERFACE] mode = polling | event; startfault = on makes start() reject (event mode).
import { InternalMessage, startGateway, type GatewayHandle, type GatewayInterface, type InterfaceContext } from '@mg/core';
import type { ProbeReport, ProbeRequest } from './probe-protocol.js';

const status = (device: string) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device, action: 'LIGHT_ON' });

/** Messages the map or the topic syntax must refuse on the way out, in turn. */
const INVALID: ReadonlyArray<(i: number) => InternalMessage> = [
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device: `a/b${i}`, action: 'LIGHT_ON' }),
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device: `#${i}`, action: 'LIGHT_ON' }),
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: `+/office${i}`, device: 'lamp', action: 'LIGHT_ON' }),
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device: `lamp\u0000${i}`, action: 'LIGHT_ON' }),
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'NotInTheMap', location: 'Office', device: `x${i}`, action: 'LIGHT_ON' }),
  (i) => new InternalMessage({ function: 'Lighting', gateway: 'Dummy', location: 'Office', device: `empty${i}` }),
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

abstract class Probe {
  static current: Probe | undefined;
  loopFault = false;
  delayMs = 0;
  stuckUntil = 0;
  private received: string[] = [];
  private working = false;

  constructor(readonly ctx: InterfaceContext) {
    Probe.current = this;
  }

  /** Answers each command and reports its device (the suite's message id) to the parent. */
  drain(): void {
    for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
      if (!msg.isCmd) continue;
      this.received.push(msg.device);
      this.ctx.outgoing.push(msg.reply('OK', 'probe'));
    }
    if (this.received.length > 0) {
      process.send?.({ type: 'received', ids: this.received });
      this.received = [];
    }
  }

  /** True when the interface is slow or stuck: commands go through `work()`. */
  get misbehaving(): boolean {
    return this.delayMs > 0 || this.stuckUntil > Date.now();
  }

  /**
   * A slow or stuck device: takes nothing while stuck, then one command at a time with
   * `delayMs` of asynchronous device time each (reported one by one).
   */
  async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      if (this.stuckUntil > Date.now()) await sleep(this.stuckUntil - Date.now());
      for (let msg = this.ctx.incoming.pull(); msg; msg = this.ctx.incoming.pull()) {
        if (this.delayMs > 0) await sleep(this.delayMs);
        if (!msg.isCmd) continue;
        this.ctx.outgoing.push(msg.reply('OK', 'probe'));
        process.send?.({ type: 'received', ids: [msg.device] });
      }
    } finally {
      this.working = false;
    }
  }

  push(prefix: string, count: number): void {
    for (let i = 0; i < count; i++) this.ctx.outgoing.push(status(`${prefix}${i}`));
  }

  pushInvalid(count: number): void {
    for (let i = 0; i < count; i++) this.ctx.outgoing.push(INVALID[i % INVALID.length]!(i));
  }
}

class PollingProbe extends Probe implements GatewayInterface {
  loop(): void | Promise<void> {
    if (this.misbehaving) return this.work();
    this.drain();
    if (this.loopFault) throw new Error('serial port read failed (injected by the suite)');
  }
}

class EventProbe extends Probe implements GatewayInterface {
  async start(): Promise<void> {
    // Fail the way a device that is not plugged in does, or answer as messages come.
    if (this.ctx.params.startfault === 'on') throw new Error('device /dev/ttyUSB9 not found (injected by the suite)');
    this.ctx.incoming.onPush(() => (this.misbehaving ? void this.work() : this.drain()));
  }
}

function report(handle: GatewayHandle | undefined): ProbeReport {
  const polluted = Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).polluted !== undefined;
  // Started with --expose-gc by the suite: collect first, so the heap figure is what is held.
  (globalThis as { gc?: () => void }).gc?.();
  return {
    type: 'report',
    counters: handle?.gateway ? handle.gateway.counters : null,
    rss: process.memoryUsage().rss,
    heapAfterGc: process.memoryUsage().heapUsed,
    polluted,
  };
}

const mode = process.argv.includes('--event') ? EventProbe : PollingProbe;
let handle: GatewayHandle | undefined;
process.on('message', (m: ProbeRequest) => {
  const probe = Probe.current;
  if (m.type === 'report') process.send?.(report(handle));
  else if (!probe) return;
  else if (m.type === 'push') probe.push(m.prefix, m.count);
  else if (m.type === 'push-invalid') probe.pushInvalid(m.count);
  else if (m.type === 'loop-fault') probe.loopFault = m.on;
  else if (m.type === 'behave') {
    probe.delayMs = m.delayMs ?? 0;
    probe.stuckUntil = m.stuckMs ? Date.now() + m.stuckMs : 0;
    if (m.stuckMs && probe instanceof EventProbe) setTimeout(() => void probe.work(), m.stuckMs);
  }
  if (m.type !== 'report') process.send?.({ type: 'done', request: m.type });
});

void startGateway(mode, { appName: 'probe2mqtt', version: '0.0.0', argv: process.argv.slice(2).filter((a) => a !== '--event') }).then((h) => {
  handle = h;
  // The IPC channel would keep the process alive after --check or a stop: let it go then.
  void h.done.then(() => process.disconnect?.());
  // Reconnections, with the broker that answered (the first one may come before this).
  h.gateway?.on('connected', ({ url }) => process.send?.({ type: 'connection', url, at: Date.now() }));
  const wait = setInterval(() => {
    if ((h.gateway?.counters.connections ?? 0) > 0) {
      clearInterval(wait);
      process.send?.({ type: 'connected' });
    }
  }, 20);
  wait.unref();
});
