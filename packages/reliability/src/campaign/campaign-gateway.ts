// The campaign's gateway: a real @mg/core gateway process (forked by supervisor.ts) whose
// interface answers every command with a status carrying its correlation. It writes what it
// does to its incarnation's records file with writeSync before going on, so that a kill -9
// loses no record of anything it did; over IPC it stalls or slows down like a sick device.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Core from '@mg/core';
import type { GatewayHandle, GatewayInterface, InterfaceContext, InternalMessage } from '@mg/core';

/** What the supervisor tells the gateway. */
export type GatewayRequest =
  /** Take nothing while on (the incoming list fills, the gateway stops reading from the broker). */
  | { type: 'stall'; on: boolean }
  /** `ms` of device time per command, one at a time (0: full speed). */
  | { type: 'slow'; ms: number }
  | { type: 'memory' };

/** What the gateway tells the supervisor (its connections are seen on the wire, by the tap). */
export type GatewayReport = { type: 'memory'; rss: number; heapUsed: number };

/** Environment variables the supervisor sets (supervisor.ts spells them out: it forks this file, it does not import it). */
const ENV = { mode: 'CAMPAIGN_MODE', records: 'CAMPAIGN_RECORDS', core: 'CAMPAIGN_CORE' } as const;

/** @mg/core, or another build of it when CAMPAIGN_CORE names its entry file (`--core`, `--mutant`). */
const { startGateway } = createRequire(__filename)(process.env[ENV.core] ?? '@mg/core') as typeof Core;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the device behaves: set over IPC, possibly before the gateway has built its interface. */
const behaviour = { stalled: false, slowMs: 0 };

class Device {
  static current: Device | undefined;
  private working = false;
  private readonly fd: number;

  constructor(readonly ctx: InterfaceContext) {
    Device.current = this;
    const file = process.env[ENV.records];
    if (!file) throw new Error(`${ENV.records} is not set: the supervisor names the records file`);
    this.fd = openSync(file, 'a');
    ctx.signal.addEventListener('abort', () => closeSync(this.fd));
  }

  /** One line, on disk before the caller goes on (a kill -9 right after loses nothing of it). */
  record(what: 'read' | 'delivered' | 'replied', id: string): void {
    if (this.ctx.signal.aborted) return; // stopping: the file is closed
    writeSync(this.fd, `${Date.now()} ${what} ${id}\n`);
  }

  /** The interface has it from the moment it pulls it (with `taken`, that sends the PUBACK). */
  private delivered(msg: InternalMessage): boolean {
    if (!msg.isCmd || msg.correlation === undefined) return false;
    this.record('delivered', msg.correlation);
    return true;
  }

  private answer(msg: InternalMessage): void {
    this.ctx.outgoing.push(msg.reply('OK', 'campaign'));
    this.record('replied', msg.correlation!);
  }

  /** Takes what waits: all at once, or one at a time with device time when slow. */
  async take(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (!behaviour.stalled && !this.ctx.signal.aborted) {
        const msg = this.ctx.incoming.pull();
        if (!msg) break;
        // Recorded before the device time: a kill -9 during it leaves a command taken and not
        // answered (unanswered), not one the checker would take for lost.
        if (!this.delivered(msg)) continue;
        if (behaviour.slowMs > 0) await sleep(behaviour.slowMs);
        this.answer(msg);
      }
    } finally {
      this.working = false;
    }
  }
}

class PollingDevice extends Device implements GatewayInterface {
  loop(): Promise<void> {
    return this.take();
  }
}

class EventDevice extends Device implements GatewayInterface {
  start(): void {
    this.ctx.incoming.onPush(() => void this.take());
  }
}

const send = (r: GatewayReport) => process.send?.(r);
let handle: GatewayHandle | undefined;

process.on('message', (m: GatewayRequest) => {
  const device = Device.current;
  if (m.type === 'memory') {
    // Started with --expose-gc: collect first, so the heap figure is what is held.
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: 'memory', rss, heapUsed });
  } else if (m.type === 'stall') {
    behaviour.stalled = m.on;
    if (!m.on) void device?.take();
  } else if (m.type === 'slow') {
    behaviour.slowMs = m.ms;
  }
});
// The supervisor is gone (it died, or was killed): a gateway nobody watches must not linger.
process.on('disconnect', () => void (handle ? handle.stop() : process.exit(1)));

const Mode = process.env[ENV.mode] === 'polling' ? PollingDevice : EventDevice;
void startGateway(Mode, { appName: 'campaign2mqtt', version: '0.0.0', argv: process.argv.slice(2) }).then((h) => {
  handle = h;
  // A command the gateway has read (in its incoming list; with `taken`, its PUBACK waits for the
  // interface): from here on, whether it is the gateway's to deliver depends on the next
  // CONNACK, which the checker reads off the wire. Reads before the start resolved (a session's
  // backlog after a restart) go unrecorded: the checker then treats them as the broker's.
  h.gateway?.on('message-in', (msg) => {
    if (msg.isCmd && msg.correlation !== undefined) Device.current?.record('read', msg.correlation);
  });
  // The IPC channel would keep the process alive after a stop: let it go then.
  void h.done.then(() => process.disconnect?.());
});
