import type { StateUpdate } from '../model/device-binding.js';
import type { Capability, CapabilityValue, Device } from '../model/device.js';
import type { InternalMessage } from '../model/message.js';
import { comparesValues, differsEnough, isDefaultPolicy, mergePolicies, resolvePolicy, type ResolvedPolicy } from '../model/publish-policy.js';
import type { Clock } from './clock.js';

/** A status of the interface, mapped, that a policy may publish now, later or not at all. */
export interface Candidate {
  msg: InternalMessage;
  topic: string;
  payload: string;
  coalesceKey: string;
  /** The capability values it reports (none: compared by payload under the configuration's defaults). */
  updates: readonly StateUpdate[];
  /** When the interface pushed it (its timestamp). */
  at: number;
}

export interface PublishPoliciesParts {
  /** `[PUBLISH]` with `[MQTT] retain`. */
  defaults: ResolvedPolicy;
  clock: Clock;
  /** Publishes a status (`refresh`: the latest one again, as `refresh` asks). */
  send(c: Candidate, retain: boolean, refresh: boolean): void;
  counters: { suppressed: number; refreshed: number };
}

/** One status as it goes out: the capabilities it reports, or its topic and action. */
interface Stream {
  policy: ResolvedPolicy;
  lastAt: number;
  /** Payload last published, for a status that reports no capability. */
  lastPayload?: string;
  /** Waiting for the end of the minimum interval (the latest wins). */
  held?: Candidate;
  holdTimer?: unknown;
  /** The latest pushed, which a refresh publishes again. */
  latest?: Candidate;
  refreshTimer?: unknown;
}

const capabilityKey = (device: Device, capability: Capability) => `${device.id}\u0000${capability.id}`;

/**
 * Publish policies: change-only, deadbands, minimum interval (latest wins), refresh, retain, per
 * capability over the configuration's defaults. Statuses only: the gateway hands commands and
 * replies straight on. Each status pushed is published (now, or at the end of its interval) or
 * counted in `suppressed`.
 */
export class PublishPolicies {
  private readonly byCapability = new Map<Capability, { key: string; policy: ResolvedPolicy }>();
  /** The value each capability last had in a published status. */
  private readonly lastValues = new Map<string, CapabilityValue>();
  private readonly streams = new Map<string, Stream>();
  private readonly merged = new Map<string, ResolvedPolicy>();
  /** Whether the configuration's defaults publish other than as pushed. */
  private readonly configured: boolean;
  private anyDeclared = false;
  private stopped = false;

  constructor(private readonly parts: PublishPoliciesParts) {
    this.configured = !isDefaultPolicy(parts.defaults, parts.defaults.retain);
  }

  /** Whether any status is published other than as pushed (else the gateway skips them all, at no cost). */
  get active(): boolean {
    return !this.stopped && (this.anyDeclared || this.configured);
  }

  /** The interface declared its devices: their policies, resolved. What waits is published first; refreshes start again with the next publication. */
  configure(devices: readonly Device[]): void {
    this.clear();
    this.byCapability.clear();
    this.merged.clear();
    this.anyDeclared = false;
    const keys = new Set<string>();
    for (const d of devices) {
      for (const c of d.capabilities) {
        const key = capabilityKey(d, c);
        keys.add(key);
        this.byCapability.set(c, { key, policy: resolvePolicy(this.parts.defaults, [d.publish, c.publish], c.kind === 'number') });
        if (d.publish || c.publish) this.anyDeclared = true;
      }
    }
    for (const key of [...this.lastValues.keys()]) if (!keys.has(key)) this.lastValues.delete(key);
  }

  /** A status to publish under its policy. */
  offer(c: Candidate): void {
    const [key, policy] = this.policyOf(c);
    if (policy.minIntervalMs === 0 && policy.refreshMs === 0 && !this.compares(c, policy)) return this.parts.send(c, policy.retain, false);
    let s = this.streams.get(key);
    if (!s) this.streams.set(key, (s = { policy, lastAt: Number.NEGATIVE_INFINITY }));
    if (policy.refreshMs > 0) s.latest = c;
    if (s.held) {
      s.held = c;
      this.parts.counters.suppressed += 1;
      return;
    }
    const wait = s.lastAt + policy.minIntervalMs - this.parts.clock.now();
    if (wait > 0) {
      s.held = c;
      s.holdTimer = this.parts.clock.setTimeout(() => this.release(s), wait);
      return;
    }
    this.publishIfChanged(s, c);
  }

  /** At stop: what waits for its interval is published (not lost), timers are cleared, and policies end. */
  stop(): void {
    this.clear();
    this.stopped = true;
  }

  private clear(): void {
    for (const s of this.streams.values()) if (s.held) this.release(s);
    for (const s of this.streams.values()) this.parts.clock.clearTimeout(s.refreshTimer);
    this.streams.clear();
  }

  private policyOf(c: Candidate): [string, ResolvedPolicy] {
    const { updates } = c;
    if (updates.length === 1) {
      const own = this.byCapability.get(updates[0]!.capability)!;
      return [own.key, own.policy];
    }
    if (updates.length === 0) return [c.coalesceKey, this.parts.defaults];
    const key = updates.map((u) => this.byCapability.get(u.capability)!.key).join('\u0001');
    let policy = this.merged.get(key);
    if (!policy) this.merged.set(key, (policy = mergePolicies(updates.map((u) => this.byCapability.get(u.capability)!.policy))));
    return [key, policy];
  }

  /** Whether publishing `c` depends on what was published before. */
  private compares(c: Candidate, policy: ResolvedPolicy): boolean {
    return c.updates.length === 0 ? policy.changeOnly : c.updates.some((u) => comparesValues(this.byCapability.get(u.capability)!.policy));
  }

  /** Published when any capability it reports asks it (each compared under its own policy), or its payload changed. */
  private changed(s: Stream, c: Candidate): boolean {
    if (c.updates.length === 0) return !s.policy.changeOnly || c.payload !== s.lastPayload;
    return c.updates.some((u) => {
      const own = this.byCapability.get(u.capability)!;
      return differsEnough(own.policy, this.lastValues.get(own.key), u.value);
    });
  }

  private release(s: Stream): void {
    const c = s.held!;
    this.parts.clock.clearTimeout(s.holdTimer);
    s.held = s.holdTimer = undefined;
    this.publishIfChanged(s, c);
  }

  private publishIfChanged(s: Stream, c: Candidate): void {
    if (this.changed(s, c)) this.publish(s, c, false);
    else this.parts.counters.suppressed += 1;
  }

  private publish(s: Stream, c: Candidate, refresh: boolean): void {
    s.lastAt = this.parts.clock.now();
    if (c.updates.length === 0) s.lastPayload = c.payload;
    for (const u of c.updates) this.lastValues.set(this.byCapability.get(u.capability)!.key, u.value);
    this.parts.send(c, s.policy.retain, refresh);
    if (s.policy.refreshMs === 0) return;
    this.parts.clock.clearTimeout(s.refreshTimer);
    s.refreshTimer = this.parts.clock.setTimeout(() => this.refresh(s), s.policy.refreshMs);
  }

  /** Nothing published for `refresh`: the latest value again (one waiting for its interval goes now instead). */
  private refresh(s: Stream): void {
    s.refreshTimer = undefined;
    if (s.held) return this.release(s);
    this.parts.counters.refreshed += 1;
    this.publish(s, s.latest!, true);
  }
}
