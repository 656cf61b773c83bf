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
  /** The retained configs of this node, as the broker reports them and as this bridge publishes them. */
  private readonly retained = new Map<string, string>();
  private readonly offs: (() => void)[] = [];
  private readonly settleMs: number;
  private readonly random: () => number;
  private readonly migrateMs: number;
  private settleTimer: NodeJS.Timeout | undefined;
  private birthTimer: NodeJS.Timeout | undefined;
  private migrateTimer: NodeJS.Timeout | undefined;
  /** Capabilities already warned about (a state that is not one of its options): once each, not per status. */
  private readonly warned = new Set<string>();
  private synced = false;
  /** The settle window ended before the interface declared its devices: the first declaration syncs. */
  private awaitingDevices = false;
  private stopped = false;

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
    // Routes first: the retained configs that the subscription brings must find them.
    ctx.route(s.discovery.filter, (topic, payload) => this.onRetainedConfig(topic, payload.toString()));
    ctx.route(s.discovery.status, (_topic, payload) => this.onStatus(payload.toString()));
    // The whole base: the states published there come back on a wide subscription, and must not reach the map.
    ctx.route(s.entities.routeFilter, (topic, payload) => this.onEntityTopic(topic, payload.toString()));
    ctx.subscribe(s.discovery.filter);
    ctx.subscribe(s.discovery.status);
    ctx.subscribe(s.entities.commandFilter, { commands: true }); // shared with [MQTT] sharedgroup: one replica acts on each write
    // Contained: these run inside the interface's ctx.devices.set() and the gateway's publishing,
    // which an error of this extension must not break.
    this.offs.push(
      ctx.onConnected(() => this.onConnected()),
      ctx.devices.onChange(ctx.contain('Home Assistant devices', () => (this.synced || this.awaitingDevices) && this.sync())),
      ctx.devices.onState(ctx.contain('Home Assistant state', (d: Device, c: Capability, v: CapabilityValue) => this.onState(d, c, v))),
    );
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    clearTimeout(this.birthTimer);
    clearTimeout(this.migrateTimer);
    for (const off of this.offs.splice(0)) off();
  }

  private onConnected(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(
      this.ctx.contain('Home Assistant discovery', () => this.settled()),
      this.settleMs,
    );
  }

  /** The retained configs are in: sync, unless the interface has not declared its devices yet. */
  private settled(): void {
    if (this.ctx.devices.declared || this.synced) return this.sync();
    // An interface that declares its devices after a scan: clearing now would remove the last
    // run's devices from Home Assistant (with the names and areas users gave them), only to
    // create them again moments later. The first declaration syncs.
    this.awaitingDevices = true;
    this.ctx.logger.info('Home Assistant discovery waits for the interface to declare its devices (ctx.devices.set())');
  }

  private onRetainedConfig(topic: string, payload: string): void {
    if (payload === '') this.retained.delete(topic);
    else this.retained.set(topic, payload);
  }

  /** Home Assistant's birth: configs and states again, after a random delay so that gateways do not all answer at once. */
  private onStatus(payload: string): void {
    if (payload.trim() !== 'online' || this.birthTimer || this.stopped) return;
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
    if (this.stopped) return;
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
    this.awaitingDevices = false;
  }

  private publishConfig(topic: string, payload: string): void {
    this.onRetainedConfig(topic, payload);
    this.ctx.publish(topic, payload, { retain: true });
  }

  private onState(d: Device, c: Capability, value: CapabilityValue): void {
    if (this.synced && !this.stopped) this.publishState(d, c, value);
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
