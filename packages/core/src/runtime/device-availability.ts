import { DeviceError } from '../error-catalog.js';
import type { Device } from '../model/device.js';
import { AVAILABILITY } from '../mqtt/connection-options.js';
import { listen } from './callbacks.js';
import type { Availability } from './extension.js';
import type { AvailabilitySource } from './interface.js';

/** A device became reachable or not (the `device-availability` event). */
export interface AvailabilityChange {
  device: string;
  available: boolean;
  reason?: string;
}

/** What the availability of devices needs of the gateway. */
export interface DeviceAvailabilityParts {
  /** The declared devices (the registry): their ids, and a listener told when they change. */
  devices: { get(id: string): Device | undefined; onChange(listener: (devices: readonly Device[]) => void): () => void };
  /** The availability topic of a device; none: per-device availability is not published (it is still kept). */
  topic?: (device: string) => string;
  /** Publishes retained on a device's availability topic (an empty payload clears it). */
  publish?(topic: string, payload: string): void;
  counters?: { devicesOffline: number; availabilityChanges: number };
  /** Told each change, after it is published (the gateway logs it and emits the event); `stopping`: all go offline at stop. */
  changed?(change: AvailabilityChange, stopping: boolean): void;
  /** An extension's availability listener threw (extensions guard their own: see scopedDevices). */
  failed?(where: string, err: unknown): void;
}

type Listener = (device: Device, available: boolean) => void;

/**
 * Whether each declared device is reachable, as the interface says (`ctx.devices.setAvailable`,
 * `follow`): published retained on the device's own topic on every connection and on every
 * change, `offline` for all at stop. Every device starts available.
 */
export class DeviceAvailability {
  /** Declared devices only: a device removed by `set()` leaves. */
  private readonly state = new Map<string, boolean>();
  private readonly listeners: Listener[] = [];
  private readonly ties = new Set<() => void>();
  /** Every device topic published in this run: a wide subscription brings them back, never as commands. */
  private readonly topics = new Set<string>();
  /** Connected once: from then on changes are published (before, the first connection publishes them all). */
  private live = false;
  private stopping = false;
  private closed = false;

  constructor(private readonly parts: DeviceAvailabilityParts) {
    parts.devices.onChange((devices) => this.declared(devices));
  }

  /** Whether the device is available; undefined for an id no declared device has. */
  available(id: string): boolean | undefined {
    return this.state.get(id);
  }

  /** The topic and payloads of a device's availability, or undefined when they are not published. */
  availability(id: string): Availability | undefined {
    return this.parts.topic ? { topic: this.parts.topic(id), online: AVAILABILITY.online, offline: AVAILABILITY.stopped } : undefined;
  }

  /** Whether the gateway published `topic` as a device's availability. */
  owns(topic: string): boolean {
    return this.topics.has(topic);
  }

  set(id: string, available: boolean, reason?: string): void {
    if (this.closed) return;
    if (!this.state.has(id)) throw unknown(id, 'setAvailable');
    this.change(id, available, reason);
  }

  follow(id: string, source: AvailabilitySource): () => void {
    if (this.closed) return () => undefined;
    if (!this.state.has(id)) throw unknown(id, 'follow');
    const why = (state: string, reason?: string) => (state === 'connected' ? undefined : (reason ?? `connection is ${state}`));
    const listener = (change: { state: string; reason?: string }) => {
      // A device removed by set() since: its availability went with it.
      if (this.state.has(id)) this.change(id, change.state === 'connected', why(change.state, change.reason));
    };
    source.on('state', listener);
    const untie = () => {
      if (!this.ties.delete(untie)) return;
      source.off('state', listener);
    };
    this.ties.add(untie);
    this.change(id, source.state === 'connected', why(source.state));
    return untie;
  }

  onAvailability(listener: Listener): () => void {
    return listen(this.listeners, listener);
  }

  /** Connected to the broker (again): every device's availability, after the gateway's own. */
  connected(): void {
    if (this.closed) return;
    this.live = true;
    for (const id of this.state.keys()) this.publish(id);
  }

  /** The gateway stops: every device goes offline (before the gateway's own `offline`), and nothing changes after. */
  stop(): void {
    if (this.closed) return;
    for (const untie of [...this.ties]) untie();
    this.stopping = true;
    for (const [id, available] of this.state) if (available) this.change(id, false, 'the gateway is stopping');
    this.closed = true;
  }

  private change(id: string, available: boolean, reason: string | undefined): void {
    if (this.state.get(id) === available) return;
    this.state.set(id, available);
    const counters = this.parts.counters;
    if (counters) {
      counters.availabilityChanges += 1;
      counters.devicesOffline += available ? -1 : 1;
    }
    this.publish(id);
    this.parts.changed?.(reason === undefined ? { device: id, available } : { device: id, available, reason }, this.stopping);
    const device = this.parts.devices.get(id)!;
    // A copy: a listener that removes itself must not make the next one miss this change.
    for (const l of [...this.listeners]) {
      try {
        l(device, available);
      } catch (err) {
        this.parts.failed?.('device availability listener', err);
      }
    }
  }

  /** A new set of devices: new ones start available, removed ones have their topic cleared. */
  private declared(devices: readonly Device[]): void {
    const ids = new Set(devices.map((d) => d.id));
    for (const [id, available] of [...this.state]) {
      if (ids.has(id)) continue;
      this.state.delete(id);
      if (!available && this.parts.counters) this.parts.counters.devicesOffline -= 1;
      this.publish(id, '');
    }
    for (const { id } of devices) {
      if (this.state.has(id)) continue;
      this.state.set(id, true);
      this.publish(id);
    }
  }

  private publish(id: string, payload: string = this.state.get(id) ? AVAILABILITY.online : AVAILABILITY.stopped): void {
    const { topic } = this.parts;
    if (!this.live || this.closed || !topic || !this.parts.publish) return;
    const t = topic(id);
    this.topics.add(t);
    this.parts.publish(t, payload);
  }
}

function unknown(id: string, method: string): DeviceError {
  return new DeviceError(
    'DEVICE_UNKNOWN',
    `ctx.devices.${method}("${id}"): no declared device has this id; declare it first (static describe() or ctx.devices.set())`,
  );
}
