import type { EventEmitter } from 'node:events';
import { commandFor } from '../model/device-binding.js';
import type { CapabilityValue } from '../model/device.js';
import type { InternalMessage } from '../model/message.js';
import type { DeviceRegistry } from './devices.js';
import type { GatewayEvents } from './events.js';
import type { WriteOutcome } from './extension.js';

interface Write {
  device: string;
  capability: string;
  value?: CapabilityValue;
}

/**
 * The command a convention's write stands for, checked against the declared capability (its
 * kind, range, options, access), or the words that say why it cannot be sent. `where` ends
 * those words (`(message on "ha/lamp/set")`). The one check of every write: a route's and `ctx.write()`'s.
 */
export function writeCommand(devices: DeviceRegistry, write: Write, sender: string, where: string): InternalMessage | string {
  const device = devices.get(write.device);
  const capability = device?.capabilities.find((c) => c.id === write.capability);
  if (!device || !capability) return `no device capability ${write.device}/${write.capability} ${where}`;
  const msg = commandFor(device, capability, write.value, sender);
  return typeof msg === 'string' ? `${msg} ${where}` : msg;
}

export interface ExtensionWritesParts {
  devices: DeviceRegistry;
  events: EventEmitter<GatewayEvents>;
  /** A write refused (counted as `invalid-value`, emitted as `refused`, logged throttled). */
  refused(detail: string): void;
  /** Hands a command to the interface through flow control; false when the gateway is stopping and did not take it. */
  deliver(msg: InternalMessage): boolean;
}

const STOPPED: WriteOutcome = { ok: false, reason: 'stopping', detail: 'the gateway stopped before the interface took the write' };

/**
 * `ctx.write()`: the route's checked path without a message from MQTT. A write resolves once
 * the flow has put its command in the incoming list (`message-in` with that very message: it
 * may wait there for room while the interface is behind), or when the gateway stops before that.
 */
export class ExtensionWrites {
  /** Commands handed to the flow and not yet taken, with what settles their write. */
  private readonly pending = new Map<InternalMessage, (outcome: WriteOutcome) => void>();
  private closed = false;
  private readonly taken = (msg: InternalMessage) => this.settle(msg, { ok: true });

  constructor(private readonly parts: ExtensionWritesParts) {}

  write(write: Write, sender: string, extension: string): Promise<WriteOutcome> {
    if (this.closed) return Promise.resolve(STOPPED);
    const msg = writeCommand(this.parts.devices, write, sender, `(write from [${extension}])`);
    if (typeof msg === 'string') {
      this.parts.refused(msg);
      return Promise.resolve({ ok: false, reason: 'invalid-value', detail: msg });
    }
    return new Promise((resolve) => {
      // Listened to only while a write waits: the gateway builds `message-in` only for listeners.
      if (this.pending.size === 0) this.parts.events.on('message-in', this.taken);
      this.pending.set(msg, resolve);
      if (!this.parts.deliver(msg)) this.settle(msg, STOPPED);
    });
  }

  /** The gateway stops: writes still waiting for room never reach the interface. */
  close(): void {
    this.closed = true;
    for (const msg of [...this.pending.keys()]) this.settle(msg, STOPPED);
  }

  private settle(msg: InternalMessage, outcome: WriteOutcome): void {
    const resolve = this.pending.get(msg);
    if (!resolve) return;
    this.pending.delete(msg);
    if (this.pending.size === 0) this.parts.events.off('message-in', this.taken);
    resolve(outcome);
  }
}
