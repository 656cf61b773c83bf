import { parseDevices, StateIndex, type StateUpdate } from '../model/device-binding.js';
import type { Capability, CapabilityValue, Device, DeviceInput } from '../model/device.js';
import type { InternalMessage } from '../model/message.js';
import { listen } from './callbacks.js';
import type { DeviceAvailability } from './device-availability.js';
import type { ExtensionScope } from './extension-scope.js';
import type { DeviceView } from './extension.js';
import type { DeviceDeclarations } from './interface.js';
import type { PollRequests } from './poll-requests.js';

type StateListener = (device: Device, capability: Capability, value: CapabilityValue) => void;

/**
 * The devices an interface declares and the last value of each capability, read from the
 * statuses it publishes: what the conventions describe and republish.
 */
export class DeviceRegistry {
  private devices: Device[] = [];
  private byId = new Map<string, Device>();
  private index = new StateIndex([]);
  private readonly values = new Map<string, CapabilityValue>();
  private readonly changeListeners: ((devices: readonly Device[]) => void)[] = [];
  private readonly stateListeners: StateListener[] = [];
  private isDeclared = false;

  /**
   * @param source names the declarations in error messages (the interface class).
   * @param failed told when a listener throws: it runs inside the interface's `set()` or the
   *   gateway's publishing, which must go on.
   */
  constructor(
    private readonly source: string,
    private readonly failed: (where: string, err: unknown) => void = () => undefined,
  ) {}

  set(input: readonly DeviceInput[]): void {
    const devices = parseDevices(input, this.source);
    this.devices = devices;
    this.byId = new Map(devices.map((d) => [d.id, d]));
    this.index = new StateIndex(devices);
    this.isDeclared = true;
    for (const key of [...this.values.keys()]) {
      const [d, c] = key.split('\u0000') as [string, string];
      if (!this.byId.get(d)?.capabilities.some((x) => x.id === c)) this.values.delete(key);
    }
    for (const l of [...this.changeListeners]) this.call('devices change listener', () => l(devices));
  }

  get declared(): boolean {
    return this.isDeclared;
  }

  list(): readonly Device[] {
    return this.devices;
  }

  get(id: string): Device | undefined {
    return this.byId.get(id);
  }

  value(device: string, capability: string): CapabilityValue | undefined {
    return this.values.get(`${device}\u0000${capability}`);
  }

  onChange(listener: (devices: readonly Device[]) => void): () => void {
    return listen(this.changeListeners, listener);
  }

  onState(listener: StateListener): () => void {
    return listen(this.stateListeners, listener);
  }

  /** A message the interface pushed: the capability values it reports are kept and told. */
  observe(msg: InternalMessage): void {
    if (this.devices.length === 0) return;
    this.record(this.index.updates(msg));
  }

  /** The capability values a message reports (none for a command, or a status no capability reads). */
  updates(msg: InternalMessage): StateUpdate[] {
    return this.devices.length === 0 ? [] : this.index.updates(msg);
  }

  /** Keeps and tells values read by `updates()` (once the status that carries them is published). */
  record(updates: readonly StateUpdate[]): void {
    for (const u of updates) {
      this.values.set(`${u.device.id}\u0000${u.capability.id}`, u.value);
      // A copy: a listener that removes itself must not make the next one miss this value.
      for (const l of [...this.stateListeners]) this.call('device state listener', () => l(u.device, u.capability, u.value));
    }
  }

  private call(where: string, listener: () => void): void {
    try {
      listener();
    } catch (err) {
      this.failed(where, err);
    }
  }
}

/** `ctx.devices`, as the interface sees it: its declarations and what it says about them. */
export function deviceDeclarations(registry: DeviceRegistry, availability: DeviceAvailability, polls: PollRequests): DeviceDeclarations {
  return {
    set: (list) => registry.set(list),
    list: () => registry.list(),
    setAvailable: (id, available, reason) => availability.set(id, available, reason),
    follow: (id, source) => availability.follow(id, source),
    onPoll: (listener) => polls.onPoll(listener),
  };
}

/**
 * An extension's view of the devices: a listener of its own that throws is reported as its
 * error (`failed`), not the interface's, and the others are still told. Its listeners belong to
 * `scope`: removed when the gateway stops the extension, never called after that.
 */
export function scopedDevices(
  registry: DeviceRegistry,
  availability: DeviceAvailability,
  failed: (where: string, err: unknown) => void,
  scope: ExtensionScope,
): DeviceView {
  const guarded =
    <A extends unknown[]>(where: string, listener: (...args: A) => void) =>
    (...args: A) => {
      // The registry tells a copy of its list: one removed during that round is still in it.
      if (scope.closed) return;
      try {
        listener(...args);
      } catch (err) {
        failed(where, err);
      }
    };
  return {
    get declared() {
      return registry.declared;
    },
    list: () => registry.list(),
    get: (id) => registry.get(id),
    value: (device, capability) => registry.value(device, capability),
    available: (id) => availability.available(id),
    onChange: (listener) => scope.own(registry.onChange(guarded('devices change listener', listener))),
    onState: (listener) => scope.own(registry.onState(guarded('device state listener', listener))),
    onAvailability: (listener) => scope.own(availability.onAvailability(guarded('device availability listener', listener))),
  };
}
