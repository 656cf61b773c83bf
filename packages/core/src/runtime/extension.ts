import type { Logger } from '@mg/app-properties';
import type { SectionShape } from '@mg/config';
import type { Capability, CapabilityValue, Device } from '../model/device.js';
import type { RejectReason } from '../model/reject.js';
import type { GatewayCounters } from './counters.js';
import type { GatewayEvents } from './events.js';
import type { InterfaceOptions } from './interface.js';

/**
 * A gateway extension: something that speaks a convention (Home Assistant discovery, Homie)
 * about the devices the interface declares. A launcher lists the extensions it ships
 * (`startGateway(MyInterface, { extensions: [homeAssistant, homie] })`); each has its own
 * configuration section and stays off unless its options turn it on.
 */
export interface GatewayExtension<S extends SectionShape = SectionShape> {
  /** The configuration section (`HOMEASSISTANT`): its options are validated like the others. */
  readonly section: string;
  readonly options: S;
  /** One line for the generated configuration reference. */
  readonly description: string;
  /**
   * Rules between its options that one option's schema cannot say (a host that needs a token).
   * Called when the configuration is loaded, for every listed extension, on or off, so that
   * `--check` refuses what the start would: throw an ExtensionError whose message names the
   * option (`[WEB] host ...`). `filePath` finds a file option as the core's are found.
   */
  check?(options: InterfaceOptions<S>, files: ExtensionFiles): void;
  /** Builds the extension for one gateway, or returns undefined when its options leave it off. */
  create(context: ExtensionContext<S>): ExtensionInstance | undefined;
}

/** How an extension finds the files its options name. */
export interface ExtensionFiles {
  /** A relative name is looked up next to the configuration file, then in the working and the launcher directories. */
  filePath(given: string): string;
}

/** A running extension: `start()` is awaited once the interface has started, `stop()` before the gateway disconnects. */
export interface ExtensionInstance {
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A write a convention received (a Home Assistant command topic, a Homie `/set`), for the interface. */
export interface DeviceWrite {
  device: string;
  capability: string;
  /** Undefined for a trigger. */
  value?: CapabilityValue;
  /**
   * Called once the core has taken the write (checked, made a command and handed to the
   * interface), not when it refuses it: what a convention says back to the controller (a Homie
   * echo) waits for this.
   */
  accepted?(): void;
}

/**
 * How the gateway, or one of its devices, says it is there: retained `online`, `offline` on stop
 * (and, for the gateway, as last will).
 */
export interface Availability {
  topic: string;
  online: string;
  offline: string;
}

/** A second connection that holds one more last will (an MQTT connection has only one). */
export interface Presence {
  /** Publishes `stopped` and closes the connection, so that the will is not sent. */
  stop(): Promise<void>;
}

/**
 * How an extension publishes. Like the interface's messages, they wait in the bounded outbox
 * while the broker is away; a retained one is replaced there by a newer one on its topic.
 */
export interface ExtensionPublishOptions {
  retain?: boolean;
  qos?: 0 | 1 | 2;
}

/** The devices the interface declares, with the last value of each capability. */
export interface DeviceView {
  /**
   * Whether the interface has declared its devices: it has a static `describe()`, or called
   * `ctx.devices.set()` once (after a scan, say). Until then an empty list means "not known
   * yet", not "none": what a previous run published must not be cleared on its account.
   */
  readonly declared: boolean;
  list(): readonly Device[];
  get(id: string): Device | undefined;
  /** The last value the interface reported, or undefined. */
  value(device: string, capability: string): CapabilityValue | undefined;
  /** The interface declared a new set of devices (at start, after a scan). Returns a function that removes the listener. */
  onChange(listener: (devices: readonly Device[]) => void): () => void;
  /** A status of the interface gave a capability a value. Returns a function that removes the listener. */
  onState(listener: (device: Device, capability: Capability, value: CapabilityValue) => void): () => void;
  /** Whether the interface says the device is reachable (every device starts so); undefined for an id no declared device has. */
  available(id: string): boolean | undefined;
  /**
   * A device became reachable or not (as the interface says, and `offline` for every device when
   * the gateway stops). A repeat is not told. Returns a function that removes the listener.
   */
  onAvailability(listener: (device: Device, available: boolean) => void): () => void;
}

/** What an extension can read about its gateway (read-only). Its listeners are removed when the extension stops. */
export interface GatewayView {
  /** A fresh snapshot of the counters (as on the stats topic). */
  counters(): GatewayCounters;
  /** The gateway's state; `interfaceStarted` is true once the interface's `start()` resolved (false again once it stops). */
  status(): { state: 'starting' | 'running' | 'stopping' | 'stopped'; interfaceStarted: boolean };
  /**
   * The broker connection: connected now, the URL in use ('' before the first connection), and
   * for each broker of `[MQTT] host` whether it is the one connected, its connections and losses.
   */
  connection(): {
    connected: boolean;
    broker: string;
    brokers: { url: string; connected: boolean; connections: number; disconnections: number }[];
  };
  /** Sizes now: the incoming list (and its limit), the outbox waiting for the broker (and its limit). */
  lists(): { incoming: number; incomingLimit: number; outbox: number; outboxLimit: number };
  /** Listens to one of the gateway's typed events. Returns a function that removes the listener. */
  on<E extends keyof GatewayEvents>(event: E, listener: (...args: GatewayEvents[E]) => void): () => void;
}

/**
 * What `ctx.write()` came to: the interface has the command, or why not. `reason` is
 * `invalid-value` for a write the capability refuses (unknown device or capability, a value out
 * of its kind, range or options, a read-only capability); `stopping` when the gateway stopped
 * before the interface took it.
 */
export type WriteOutcome = { ok: true } | { ok: false; reason: RejectReason | 'stopping'; detail: string };

/**
 * What a gateway gives an extension. What it registers here (routes, subscriptions, `onConnected`
 * and `devices` listeners, `retained`) is undone by the gateway when it stops the extension,
 * before its `stop()`: from then on its routes and listeners are never called, so an extension
 * keeps no list of listeners to remove; `stop()` clears only timers of its own and says goodbye.
 */
export interface ExtensionContext<S extends SectionShape = SectionShape> {
  /** Its section's options, typed and validated. */
  options: InterfaceOptions<S>;
  logger: Logger;
  /** The application name (`dummy2mqtt`) and version, for origin blocks. */
  appName: string;
  appVersion: string;
  /** The MQTT client id (unique per gateway instance). */
  clientId: string;
  /** The topic root of the gateway's messages (the map's, or `[MQTT] root`), maybe empty. */
  topicRoot: string;
  /** Fills `{root}`, `{app}` and `{clientid}` in a topic option, as the gateway does for its own (an empty root leaves no empty level). */
  expandTopic(template: string): string;
  /** The gateway's availability, or undefined when `[MQTT] availabilitytopic` is blank. */
  availability: Availability | undefined;
  /**
   * A device's own availability (`[MQTT] deviceavailabilitytopic` for this id: retained
   * `online`/`offline`), or undefined when that option is blank. A convention lists it beside the
   * gateway's: the device is available while both are `online`.
   */
  deviceAvailability(id: string): Availability | undefined;
  devices: DeviceView;
  /** Aborted when the gateway stops. */
  signal: AbortSignal;
  /** Publishes as is (not through the map): retained configs, states. */
  publish(topic: string, payload: string, options?: ExtensionPublishOptions): void;
  /**
   * Asks the broker for a filter, on this and every later connection. `commands: true` marks
   * writes to the interface: with `[MQTT] sharedgroup` the filter is then a shared subscription
   * of that group, so that one instance of the group acts on each write, as with the map's
   * commands (discovery, birth and retained topics stay plain: every instance needs them).
   */
  subscribe(filter: string, options?: { commands?: boolean }): void;
  /**
   * Messages on topics that match `filter` come to `handler` and never to the map (the
   * extension's own topics, also when a wide subscription brings its publications back). A
   * write it returns goes to the interface like a command from MQTT (checked against the
   * capability; refused with a counted, logged reason otherwise).
   */
  route(filter: string, handler: (topic: string, payload: Buffer) => DeviceWrite | void): void;
  /**
   * Counts and logs (throttled) a message on the extension's topics that it cannot use (an
   * unreadable payload): `invalid-value` on the stats topic, like the writes the core refuses.
   */
  refused(detail: string): void;
  /** Called on every connection to the broker (the first one included). Returns a function that removes the listener. */
  onConnected(listener: () => void): () => void;
  /**
   * What the broker holds on `filter`, to clear what an earlier run left there and this one no
   * longer produces. After each connection the messages on `filter` are collected by topic for
   * `settleMs` (the broker sends its retained ones on subscription; an empty payload removes its
   * topic); once that window is over and the interface has declared its devices
   * (`devices.declared`), `handover` gets them. An interface that declares after a scan is waited
   * for: before it, an empty device list would make everything look stale. The filter is
   * subscribed and routed here (call it before the routes that would take in its topics); what
   * arrives after the hand-over is dropped. The timer and listeners end with the gateway; an
   * error of `handover` is the extension's (counted, logged), never fatal.
   */
  retained(filter: string, options: { settleMs: number }, handover: (messages: ReadonlyMap<string, Buffer>) => void): void;
  /**
   * Opens a second connection (client id `<clientid>-<suffix>`) whose last will publishes
   * `lost` on `topic` (retained) if the gateway dies; `online` is published on each of its
   * connections. The gateway's own connection keeps its will for the availability topic.
   */
  presence(options: { suffix: string; topic: string; online: string; lost: string; stopped: string }): Promise<Presence>;
  /** See ExtensionFiles: a file option (a token file) found by the core's path rules. */
  filePath(given: string): string;
  /** The gateway's counters, state, connection, list sizes and events (a status page, metrics). */
  gateway: GatewayView;
  /**
   * Writes a capability through the same checked path as a route's write (a Home Assistant
   * command, a Homie `/set`): kind, range, options and access checked, made a command and handed
   * to the interface through flow control. Resolves once the interface has it, or with the
   * refusal (counted and emitted as `refused`, like any other). Never rejects.
   */
  write(write: { device: string; capability: string; value?: CapabilityValue }): Promise<WriteOutcome>;
  /** See InterfaceContext.contain: a callback whose errors are counted and logged, never fatal. */
  contain<A extends unknown[]>(where: string, callback: (...args: A) => unknown): (...args: A) => void;
}
