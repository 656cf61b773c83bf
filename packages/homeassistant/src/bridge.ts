import type { Capability, CapabilityValue, Device } from '@mg/core';
import type { DeviceWrite, ExtensionContext, ExtensionInstance } from '@mg/core/extensions';
import { buildDiscovery, type DiscoverySettings } from './discovery.js';
import type { HomeAssistantOptionShape } from './options.js';
import { hasState } from './platforms.js';
import { MIGRATE_PAYLOAD, planCleanup } from './stale.js';
import { formatState, parseCommand } from './values.js';

/** Timing that tests shorten or fix; the defaults suit a real broker. */
export interface BridgeTuning {
  /**
   * Milliseconds to wait after each connection before publishing: the broker sends the retained
   * configs of this node meanwhile, and those no longer produced are then cleared. Default 1500.
   */
  settleMs?: number;
  /** The random source of the birth delay (default Math.random). */
  random?: () => number;
  /**
   * Milliseconds between asking Home Assistant to migrate entities to the other form and
   * clearing their old configs, so that it has taken them over first. Default 5000.
   */
  migrateMs?: number;
}

/**
 * One gateway's Home Assistant side: publishes the discovery configs and states of the
 * interface's devices, clears what it no longer produces, answers Home Assistant's birth, and
 * turns Home Assistant's commands into writes for the interface.
 */
export class HomeAssistantBridge implements ExtensionInstance {
  /** The retained configs of this node, as the broker reported them after a connection and as this bridge publishes them. */
  private readonly retained = new Map<string, string>();
  private readonly settleMs: number;
  private readonly random: () => number;
  private readonly migrateMs: number;
  private birthTimer: NodeJS.Timeout | undefined;
  private migrateTimer: NodeJS.Timeout | undefined;
  /** Capabilities already warned about (a state that is not one of its options): once each, not per status. */
  private readonly warned = new Set<string>();
  /** Whether the configs were published once: until then (the retained configs not read yet) nothing is. */
  private synced = false;

  constructor(
    private readonly ctx: ExtensionContext<HomeAssistantOptionShape>,
    private readonly settings: DiscoverySettings,
    tuning: BridgeTuning = {},
  ) {
    this.settleMs = tuning.settleMs ?? 1500;
    this.random = tuning.random ?? Math.random;
    this.migrateMs = tuning.migrateMs ?? 5000;
  }

  start(): void {
    const { ctx, settings: s } = this;
    // After each connection, once the broker has sent this node's retained configs and the
    // interface has declared its devices: configs published, those no longer produced cleared.
    ctx.retained(s.discovery.filter, { settleMs: this.settleMs }, (configs) => this.settled(configs));
    // Routes first: what the subscriptions bring must find them.
    ctx.route(s.discovery.status, (_topic, payload) => this.onStatus(payload.toString()));
    // The whole base: the states published there come back on a wide subscription, and must not reach the map.
    ctx.route(s.entities.routeFilter, (topic, payload) => this.onEntityTopic(topic, payload.toString()));
    ctx.subscribe(s.discovery.status);
    ctx.subscribe(s.entities.commandFilter, { commands: true }); // shared with [MQTT] sharedgroup: one replica acts on each write
    // Their listeners and routes end with the gateway (the host removes them). Contained: these
    // run inside the interface's ctx.devices.set() and the gateway's publishing, which an error
    // of this extension must not break. The first declaration is ctx.retained's to answer.
    ctx.devices.onChange(ctx.contain('Home Assistant devices', () => this.synced && this.sync()));
    ctx.devices.onState(ctx.contain('Home Assistant state', (d: Device, c: Capability, v: CapabilityValue) => this.onState(d, c, v)));
  }

  stop(): void {
    clearTimeout(this.birthTimer);
    clearTimeout(this.migrateTimer);
  }

  /**
   * The retained configs of this node the broker sent after a connection, the devices declared:
   * added to what this bridge knows it published (a window cut short by a slow broker must not
   * make it forget its own configs), then sync.
   */
  private settled(configs: ReadonlyMap<string, Buffer>): void {
    for (const [topic, payload] of configs) this.retained.set(topic, payload.toString());
    this.sync();
  }

  private remember(topic: string, payload: string): void {
    if (payload === '') this.retained.delete(topic);
    else this.retained.set(topic, payload);
  }

  /**
   * Home Assistant's birth: configs and states again, after a random delay so that gateways do
   * not all answer at once. Not before the first sync, which publishes everything: until then the
   * retained configs are not read, or the devices not declared, and a sync would clear them all.
   */
  private onStatus(payload: string): void {
    if (payload.trim() !== 'online' || this.birthTimer || !this.synced) return;
    const delay = Math.round(this.random() * this.ctx.options.birthdelay * 1000);
    this.ctx.logger.info(`Home Assistant is online: configs and states follow in ${delay} ms`);
    this.birthTimer = setTimeout(
      this.ctx.contain('Home Assistant birth', () => {
        this.birthTimer = undefined;
        this.sync();
      }),
      delay,
    );
  }

  /** Publishes every config and state, after clearing what is no longer produced. */
  private sync(): void {
    const { ctx } = this;
    const devices = ctx.devices.list();
    const configs = buildDiscovery(devices, this.settings);
    const base = `${this.settings.entities.base}/`;
    const availability = this.settings.availability?.topic;
    const cleanup = planCleanup(this.retained, configs, (old) => old.topics.some((t) => t.startsWith(base) || t === availability));
    // Stale configs go first, so that what they held is free for the new ones. Configs of the
    // other form that hold the same unique ids are migrated rather than cleared, as Home
    // Assistant documents it: their entities keep their settings; they are cleared afterwards.
    for (const topic of cleanup.clear) this.publishConfig(topic, '');
    for (const topic of cleanup.migrate) this.publishConfig(topic, MIGRATE_PAYLOAD);
    for (const stub of cleanup.stubs) this.publishConfig(stub.topic, JSON.stringify(stub.payload));
    for (const c of configs) this.publishConfig(c.topic, JSON.stringify(c.payload));
    for (const topic of cleanup.clearStates) ctx.publish(topic, '', { retain: true });
    for (const d of devices) for (const c of d.capabilities) this.publishState(d, c, ctx.devices.value(d.id, c.id));
    if (cleanup.migrate.length > 0) {
      // The next sync finds the migration markers no longer produced, and clears them.
      clearTimeout(this.migrateTimer);
      this.migrateTimer = setTimeout(
        this.ctx.contain('Home Assistant migration', () => this.sync()),
        this.migrateMs,
      );
    }
    const what = `${devices.length} device(s), ${configs.length} config(s) under ${this.settings.discovery.prefix} (${this.settings.form} form)`;
    const { clear, stubs, migrate } = cleanup;
    const cleared =
      clear.length + stubs.length + migrate.length > 0
        ? `; cleared ${clear.length} config(s) and ${stubs.length} component set(s) no longer produced, migrating ${migrate.length} of the other form`
        : '';
    if (!this.synced || cleared) ctx.logger.info(`Home Assistant discovery: ${what}${cleared}`);
    if (!this.synced && devices.length === 0)
      ctx.logger.warn('the interface declares no devices (static describe() or ctx.devices.set()): Home Assistant has nothing to discover');
    this.synced = true;
  }

  private publishConfig(topic: string, payload: string): void {
    this.remember(topic, payload);
    this.ctx.publish(topic, payload, { retain: true });
  }

  private onState(d: Device, c: Capability, value: CapabilityValue): void {
    if (this.synced) this.publishState(d, c, value);
  }

  /** States are retained: Home Assistant reads the current one when it subscribes, after a restart too. */
  private publishState(d: Device, c: Capability, value: CapabilityValue | undefined): void {
    if (value === undefined || !hasState(c)) return;
    if (c.kind === 'enum' && !c.options?.includes(String(value))) {
      // Home Assistant would refuse it (a select or an enum sensor holds one of its options only).
      const key = `${d.id}/${c.id}`;
      if (!this.warned.has(key)) this.ctx.logger.warn(`${key}: state "${String(value)}" is not one of ${(c.options ?? []).join(', ')}: not published`);
      this.warned.add(key);
      return;
    }
    this.ctx.publish(this.settings.entities.state(d.id, c.id), formatState(c, value), { retain: true });
  }

  /**
   * A message under the base topic: a command becomes a write; a state (this bridge's own,
   * back from a wide subscription) is dropped. A payload that cannot be read is passed on as
   * it came, so that the core refuses it with its reason and counts it.
   */
  private onEntityTopic(topic: string, payload: string): DeviceWrite | void {
    const target = this.settings.entities.parseCommand(topic);
    if (!target) return;
    const capability = this.ctx.devices.get(target.device)?.capabilities.find((c) => c.id === target.capability);
    if (!capability) return { device: target.device, capability: target.capability };
    const parsed = parseCommand(capability, payload);
    return { device: target.device, capability: target.capability, value: parsed.ok ? parsed.value : payload };
  }
}
