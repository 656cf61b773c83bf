import type { Capability, CapabilityValue, Device } from '@mg/core';
import type { DeviceWrite, ExtensionContext, ExtensionInstance, Presence } from '@mg/core/extensions';
import { buildTree, describeChild, describeRoot, type DeviceDescription, type HomieChild, type HomieProperty, type HomieTree } from './description.js';
import { isHomieId } from './ids.js';
import type { HomieOptions } from './options.js';
import { HomieTopics } from './topics.js';
import { formatValue, parseValue } from './values.js';
import { DescriptionVersions } from './versions.js';

/** Client id suffix of the connection that holds the Homie last will (`<clientid>-homie`). */
const PRESENCE_SUFFIX = 'homie';

// Retained Homie messages are idempotent, so QoS 1 (at least once) loses nothing that QoS 2
// would keep, and works with brokers that cap QoS at 1. Non-retained values are momentary
// events: QoS 0, as the convention asks.
const RETAINED = { retain: true, qos: 1 } as const;
const MOMENTARY = { retain: false, qos: 0 } as const;

/** Timing that tests shorten; the default suits a real broker. */
export interface HomieTuning {
  /**
   * Milliseconds after each connection during which the broker sends the retained descriptions
   * of the domain; children of this root that a previous run declared and this one does not are
   * then cleared. Default 1000. Nothing waits for it: the devices are published at once.
   */
  settleMs?: number;
}

interface Located {
  child: HomieChild;
  property: HomieProperty;
}

/**
 * Speaks Homie 5 for one gateway: the gateway is the root device, each device of the interface
 * a child. The root's `$state` has its last will on a second connection (`ctx.presence`), so
 * the gateway's own connection keeps its will for the availability topic.
 */
export class HomieBridge implements ExtensionInstance {
  private readonly topics: HomieTopics;
  private readonly versions: DescriptionVersions;
  private tree: HomieTree;
  /** Property by `<device id>\0<capability id>` (statuses) and by `<child id>/<property id>` (`/set`). */
  private byCapability = new Map<string, Located>();
  private byTopic = new Map<string, Located>();
  private readonly listened = new Set<string>();
  private readonly warned = new Set<string>();
  private presence: Presence | undefined;
  private connected = false;
  private readonly settleMs: number;

  constructor(
    private readonly ctx: ExtensionContext<HomieOptions>,
    private readonly root: { id: string; name: string },
    tuning: HomieTuning = {},
    now: () => number = Date.now,
  ) {
    this.topics = new HomieTopics(ctx.options.prefix);
    this.versions = new DescriptionVersions(now);
    this.tree = buildTree(root, []);
    this.settleMs = tuning.settleMs ?? 1000;
  }

  /** Called before the gateway connects: what is published waits for the connection. */
  async start(): Promise<void> {
    const { ctx } = this;
    // First, before the devices' own routes (the first route that matches a topic takes it): every
    // description of the domain, those of children a previous run declared included, comes here.
    // The stale children go after the root's description (which no longer lists them) and
    // `ready`, as in "Removing children": the devices are published at once on each connection.
    ctx.retained(this.topics.descriptions, { settleMs: this.settleMs }, (descriptions) => this.clearStale(descriptions));
    this.setTree(buildTree(this.root, ctx.devices.list()));
    this.listen(this.root.id, false);
    this.presence = await ctx.presence({
      suffix: PRESENCE_SUFFIX,
      topic: this.topics.state(this.root.id),
      // Published on each connection of the presence: "ready" and not "init", because the two
      // connections race; whichever order they come up in, the last word is "ready".
      online: 'ready',
      lost: 'lost',
      stopped: 'disconnected',
    });
    // The gateway removes these when it stops this extension, before stop().
    ctx.onConnected(() => {
      this.connected = true;
      this.publishAll();
    });
    ctx.devices.onChange(ctx.contain('homie: devices changed', (devices: readonly Device[]) => this.update(devices)));
    ctx.devices.onState(ctx.contain('homie: state', (d: Device, c: Capability, v: CapabilityValue) => this.publishValue(d, c, v)));
    ctx.devices.onAvailability(ctx.contain('homie: availability', (d: Device, available: boolean) => this.publishAvailability(d, available)));
    if (this.tree.children.length === 0) ctx.logger.info('the interface declares no devices yet: only the root device is published');
  }

  /** A clean stop: every device `disconnected`, then the presence closes without its will. */
  async stop(): Promise<void> {
    // Stopped without having started (the interface's start() failed): nothing was said, nothing to take back.
    if (!this.presence) return;
    for (const child of this.tree.children) this.ctx.publish(this.topics.state(child.id), 'disconnected', RETAINED);
    this.ctx.publish(this.topics.state(this.root.id), 'disconnected', RETAINED);
    await this.presence.stop();
    this.presence = undefined;
  }

  /**
   * Everything, on every connection (a broker restarted without persistence has forgotten it
   * all): root `init`, each child `init`, description, values, `ready`, then the root's
   * description (its children listed) and `ready`, the order the convention gives for children.
   */
  private publishAll(): void {
    const { root, children } = this.tree;
    this.ctx.publish(this.topics.state(root.id), 'init', RETAINED);
    for (const child of children) this.publishChild(child, this.versions.stamp(child.id, describeChild(this.tree, child)).description);
    this.publishRoot(this.versions.stamp(root.id, describeRoot(this.tree)).description, false);
  }

  private publishRoot(description: DeviceDescription, init = true): void {
    if (init) this.ctx.publish(this.topics.state(this.root.id), 'init', RETAINED);
    this.ctx.publish(this.topics.description(this.root.id), JSON.stringify(description), RETAINED);
    this.ctx.publish(this.topics.state(this.root.id), 'ready', RETAINED);
  }

  /** `init` first: a description may only change while the device is in init (convention 5, "Device Attributes"). */
  private publishChild(child: HomieChild, description: DeviceDescription): void {
    this.ctx.publish(this.topics.state(child.id), 'init', RETAINED);
    this.ctx.publish(this.topics.description(child.id), JSON.stringify(description), RETAINED);
    for (const property of child.properties) {
      const value = this.ctx.devices.value(child.device.id, property.capability.id);
      if (value !== undefined && property.description.retained) this.publishProperty({ child, property }, value);
    }
    this.ctx.publish(this.topics.state(child.id), this.readyState(child), RETAINED);
  }

  /**
   * What a child says once described: `ready`, or `disconnected` while the interface says its
   * device cannot be reached (per-device availability): the gateway is there, the device is not.
   * Never `lost`: that is the root's will, for a gateway that died.
   */
  private readyState(child: HomieChild): 'ready' | 'disconnected' {
    return this.ctx.devices.available(child.device.id) === false ? 'disconnected' : 'ready';
  }

  /** A device became reachable or not: its child's `$state` follows (the root's does not: the gateway is still there). */
  private publishAvailability(device: Device, available: boolean): void {
    if (!this.connected) return; // the first connection publishes each child in its current state
    // A stopping gateway takes every device offline: stop() says `disconnected` for all, once.
    if (this.ctx.signal.aborted) return;
    const child = this.tree.children.find((c) => c.device.id === device.id);
    if (child) this.ctx.publish(this.topics.state(child.id), available ? 'ready' : 'disconnected', RETAINED);
  }

  /**
   * The interface declared a new set of devices: changed and new children are published, the
   * root's description is updated when its children changed, and removed children are cleared
   * ($state first), in the orders of the convention's "Adding children" and "Removing children".
   */
  private update(devices: readonly Device[]): void {
    const before = this.tree;
    const next = buildTree(this.root, devices);
    this.setTree(next);
    if (!this.connected) return; // the first connection publishes everything
    for (const child of next.children) {
      const stamped = this.versions.stamp(child.id, describeChild(next, child));
      if (!stamped.changed) continue;
      this.publishChild(child, stamped.description);
      // A property gone, or no longer retained, must not keep its last value on the broker.
      const old = before.children.find((c) => c.id === child.id);
      for (const was of old?.properties ?? [])
        if (was.description.retained && !child.properties.some((p) => p.id === was.id && p.description.retained))
          this.clear(this.topics.value(child.id, was.id));
    }
    const root = this.versions.stamp(this.root.id, describeRoot(next));
    if (root.changed) this.publishRoot(root.description);
    for (const gone of before.children) {
      if (next.children.some((c) => c.id === gone.id)) continue;
      this.clear(this.topics.state(gone.id));
      this.clear(this.topics.description(gone.id));
      for (const p of gone.properties) if (p.description.retained) this.clear(this.topics.value(gone.id, p.id));
      this.versions.forget(gone.id);
    }
  }

  /**
   * Children of this root that the broker still holds but the tree no longer has (a previous run
   * declared them): `$state` first, then `$description` and the retained values its nodes list,
   * as `update()` clears a child removed while running. Other roots' devices are left alone.
   */
  private clearStale(descriptions: ReadonlyMap<string, Buffer>): void {
    let cleared = 0;
    for (const [topic, payload] of descriptions) {
      const id = topic.slice(this.topics.base.length + 1, -'/$description'.length);
      if (id === this.root.id || this.tree.children.some((c) => c.id === id)) continue;
      const old = readDescription(payload.toString('utf8'));
      if (old?.root !== this.root.id) continue;
      this.clear(this.topics.state(id));
      this.clear(this.topics.description(id));
      for (const [node, properties] of old.values) for (const p of properties) this.clear(`${this.topics.base}/${id}/${node}/${p}`);
      this.versions.forget(id);
      cleared += 1;
    }
    if (cleared > 0) this.ctx.logger.info(`cleared ${cleared} Homie device(s) of root "${this.root.id}" that this run does not declare`);
  }

  private setTree(tree: HomieTree): void {
    this.tree = tree;
    this.byCapability = new Map();
    this.byTopic = new Map();
    for (const child of tree.children) {
      this.listen(child.id, true);
      for (const property of child.properties) {
        this.byCapability.set(`${child.device.id}\u0000${property.capability.id}`, { child, property });
        this.byTopic.set(`${child.id}/${property.id}`, { child, property });
      }
    }
  }

  /** Routes a device's topics to this extension (once: routes and subscriptions last as long as the gateway). */
  private listen(id: string, settable: boolean): void {
    if (this.listened.has(id)) return;
    this.listened.add(id);
    this.ctx.route(this.topics.device(id), (topic, payload) => this.received(topic, payload));
    if (settable) this.ctx.subscribe(this.topics.sets(id), { commands: true });
  }

  /** A `/set` from a controller: checked against the property, then handed to the core as a write. */
  private received(topic: string, payload: Buffer): DeviceWrite | void {
    const set = this.topics.parseSet(topic);
    if (!set) return; // our own publications, brought back by a wide subscription
    const found = this.byTopic.get(`${set.device}/${set.property}`);
    if (!found) return this.refuse(topic, 'no such device property');
    const { child, property } = found;
    if (!property.description.settable) return this.refuse(topic, 'the property is not settable');
    const parsed = parseValue(property.description, payload.toString('utf8'));
    if (!parsed.ok) return this.refuse(topic, parsed.reason);
    const value = property.capability.kind === 'trigger' ? undefined : parsed.value;
    const write: DeviceWrite = { device: child.device.id, capability: property.capability.id, ...(value === undefined ? {} : { value }) };
    // A non-retained property has no state to report back: the payload, echoed as a momentary
    // event once the core has taken the write (not when it refuses it), closes the controller's
    // loop (convention 5, "Property command topic").
    if (!property.description.retained) write.accepted = () => this.publishProperty(found, parsed.value);
    return write;
  }

  /** Counted and logged by the core (throttled, `invalid-value` on the stats topic), as the writes it refuses. */
  private refuse(topic: string, reason: string): void {
    this.ctx.refused(`${reason} (message on "${topic}")`);
  }

  private publishValue(device: Device, capability: Capability, value: CapabilityValue): void {
    if (!this.connected) return; // the first connection publishes the last values
    const found = this.byCapability.get(`${device.id}\u0000${capability.id}`);
    if (found && found.property.description.retained) this.publishProperty(found, value);
  }

  private publishProperty({ child, property }: Located, value: CapabilityValue): void {
    const topic = this.topics.value(child.id, property.id);
    const formatted = formatValue(property.description, value);
    if (!formatted.ok) {
      // Once per property: a device that keeps reporting out of range must not flood the log.
      if (!this.warned.has(topic)) this.ctx.logger.warn(`not published on "${topic}" (not a valid ${property.description.datatype}): ${formatted.reason}`);
      this.warned.add(topic);
      return;
    }
    this.ctx.publish(topic, formatted.payload, property.description.retained ? RETAINED : MOMENTARY);
  }

  /** An empty retained message deletes what the broker keeps. */
  private clear(topic: string): void {
    this.ctx.publish(topic, '', RETAINED);
  }
}

/** What a retained description tells: its root, and the retained properties of each node (ids checked, so every topic is valid). */
function readDescription(payload: string): { root: string; values: [string, string[]][] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || typeof parsed.root !== 'string') return undefined;
  const values: [string, string[]][] = [];
  for (const [node, value] of Object.entries(isObject(parsed.nodes) ? parsed.nodes : {})) {
    if (!isHomieId(node) || !isObject(value) || !isObject(value.properties)) continue;
    const properties = Object.entries(value.properties)
      .filter(([id, p]) => isHomieId(id) && isObject(p) && p.retained !== false)
      .map(([id]) => id);
    values.push([node, properties]);
  }
  return { root: parsed.root, values };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
