import type { EventEmitter } from 'node:events';
import type { Logging } from '@mg/app-properties';
import { errorMessage } from '@mg/errors';
import { ExtensionError } from '../error-catalog.js';
import type { InternalMessage } from '../model/message.js';
import { expandTopic } from '../model/topic-template.js';
import { Connection } from '../mqtt/connection.js';
import { AVAILABILITY, type ReceivedPacket } from '../mqtt/connection-options.js';
import { sharedFilter } from '../mqtt/subscriber.js';
import type { Transport } from '../mqtt/transport.js';
import { contained, listen } from './callbacks.js';
import type { GatewayEvents } from './events.js';
import { Counters } from './counters.js';
import type { DeviceAvailability } from './device-availability.js';
import { scopedDevices, type DeviceRegistry } from './devices.js';
import { ExtensionScope } from './extension-scope.js';
import { ExtensionWrites, writeCommand } from './extension-writes.js';
import { scopedGateway, type GatewayStatus } from './gateway-view.js';
import type { Availability, DeviceWrite, ExtensionContext, ExtensionInstance, GatewayExtension, Presence } from './extension.js';
import { collectRetained } from './retained.js';
import { Routes, topicMatches } from './routes.js';
import type { Setup } from './setup.js';

/** An extension's route: its filter, its handler, and the sender its writes are sent as (`homeassistant`). */
export interface RouteHandler {
  /** The extension's section, to which its errors are attributed. */
  extension: string;
  filter: string;
  sender: string;
  handle(topic: string, payload: Buffer): DeviceWrite | void;
}

/** What the gateway lends its extensions. */
export interface ExtensionHostParts {
  setup: Setup;
  logging: Logging;
  transport: Transport;
  devices: DeviceRegistry;
  availability: DeviceAvailability;
  signal: AbortSignal;
  /** An extension's handler, listener or contained callback threw: reported as that extension's error. */
  failed(extension: string, where: string, err: unknown): void;
  /** A write refused (counted as `invalid-value`, emitted as `refused`, logged throttled). */
  refused(detail: string): void;
  /** What extensions read of the gateway (`ctx.gateway`). */
  gateway: GatewayStatus;
  /** The gateway's events (`message-in` says that a written command was taken). */
  events: EventEmitter<GatewayEvents>;
  /** Hands a written command to the interface through flow control; false when the gateway is stopping and did not take it. */
  deliver(msg: InternalMessage): boolean;
  /** Opens the second connection of a presence. Default: a real one, like the gateway's (the testing kit's is in memory). */
  presence?: (options: PresenceOptions) => Transport;
}

export interface PresenceOptions {
  clientId: string;
  topic: string;
  online: string;
  lost: string;
  stopped: string;
}

/**
 * The extensions of one gateway (Home Assistant discovery, Homie): each built from its
 * configuration section, given a context, started after the interface and stopped before it.
 */
export class ExtensionHost {
  readonly routes = new Routes<RouteHandler>();
  private readonly instances: { name: string; instance: ExtensionInstance }[] = [];
  /** One per extension, on or off: what each registered, undone at stop. */
  private readonly scopes: ExtensionScope[] = [];
  private readonly connectedListeners: { extension: string; listener: () => void }[] = [];
  private readonly presences: Transport[] = [];
  private stopped = false;
  private readonly writes: ExtensionWrites;

  constructor(
    extensions: readonly GatewayExtension[],
    private readonly parts: ExtensionHostParts,
  ) {
    const { setup } = parts;
    this.writes = new ExtensionWrites({
      devices: parts.devices,
      events: parts.events,
      refused: (detail) => parts.refused(detail),
      deliver: (msg) => parts.deliver(msg),
    });
    const availability: Availability | undefined = setup.connection.availabilityTopic
      ? { topic: setup.connection.availabilityTopic, online: AVAILABILITY.online, offline: AVAILABILITY.stopped }
      : undefined;
    for (const ext of extensions) {
      const failed = (where: string, err: unknown) => parts.failed(ext.section, where, err);
      const scope = new ExtensionScope();
      this.scopes.push(scope);
      const context: ExtensionContext = {
        options: setup.config[ext.section] ?? {},
        logger: parts.logging.logger(ext.section.toLowerCase()),
        appName: setup.app.name,
        appVersion: setup.app.version ?? '0.0.0',
        clientId: setup.connection.clientId,
        topicRoot: setup.map.root,
        expandTopic: (template) => expandTopic(template, { root: setup.map.root, app: setup.app.name, clientid: setup.connection.clientId }),
        availability,
        deviceAvailability: (id) => parts.availability.availability(id),
        devices: scopedDevices(parts.devices, parts.availability, failed, scope),
        signal: parts.signal,
        // A retained publication is the latest of its topic: while it waits for the broker a
        // newer one replaces it (a state, a cleared config), so an outage cannot fill the
        // outbox with an extension's history and push the interface's messages out.
        publish: (topic, payload, o = {}) =>
          parts.transport.publish(topic, payload, {
            kind: 'extension',
            qos: o.qos ?? 1,
            retain: o.retain ?? false,
            coalesceKey: o.retain ? `ext\u0000${topic}` : undefined,
          }),
        // Not after stop: the gateway's connection closes right after, and must not take new filters on its way out.
        subscribe: (filter, o) => {
          if (!scope.closed) parts.transport.subscribe(o?.commands ? sharedFilter(setup.connection.sharedGroup, filter) : filter);
        },
        route: (filter, handle) => {
          // A filter that takes in the map's own subscriptions would send every command of the
          // gateway to the extension (a base topic set to the root, say): refused at start.
          const covered = setup.map.topics.find((sub) => topicMatches(filter, sub));
          if (covered !== undefined)
            throw new ExtensionError(
              ext.section,
              'EXTENSION_ROUTE_OVERLAP',
              `extension [${ext.section}] cannot start: its topics "${filter}" take in the gateway's subscription "${covered}": every command would go to it instead of the interface; give it topics of its own (a base topic below the root, not the root itself)`,
            );
          // Kept in the table once the extension has stopped, but never called: a message on its
          // topics while the connection closes is dropped, not handed to the map as the interface's.
          this.routes.add(filter, {
            extension: ext.section,
            filter,
            sender: ext.section.toLowerCase(),
            handle: (t, p) => (scope.closed ? undefined : handle(t, p)),
          });
        },
        onConnected: (listener) => scope.own(listen(this.connectedListeners, { extension: ext.section, listener })),
        retained: (filter, o, handover) => collectRetained({ ctx: context, scope, failed }, filter, o.settleMs, handover),
        presence: (o) => this.presence(o),
        refused: (detail) => parts.refused(detail),
        contain: (where, callback) => contained(where, callback, failed),
        filePath: (given) => setup.app.filePath(given, '', setup.configFile === '' ? undefined : setup.configFile),
        gateway: scopedGateway(parts.gateway, scope, failed),
        write: (w) =>
          scope.closed
            ? Promise.resolve({ ok: false, reason: 'stopping', detail: `extension [${ext.section}] has stopped` })
            : this.writes.write(w, ext.section.toLowerCase(), ext.section),
      };
      const instance = ext.create(context);
      if (instance) this.instances.push({ name: ext.section, instance });
    }
  }

  /** Whether any extension is on. */
  get active(): boolean {
    return this.instances.length > 0;
  }

  async start(): Promise<void> {
    for (const { name, instance } of this.instances) {
      try {
        await instance.start?.();
      } catch (err) {
        // An ExtensionError of its own (a setting it refuses) already says which and why.
        if (err instanceof ExtensionError && err.extension === name) throw err;
        throw new ExtensionError(name, 'EXTENSION_START_FAILED', `extension [${name}] could not start: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  connected(): void {
    for (const { extension, listener } of [...this.connectedListeners]) {
      try {
        listener();
      } catch (err) {
        this.parts.failed(extension, 'onConnected listener', err);
      }
    }
  }

  /**
   * A message on an extension's topic: the command its write stands for, or undefined (no
   * write, or one refused with a counted reason). Never throws.
   */
  command(route: RouteHandler, packet: ReceivedPacket): { msg: InternalMessage; write: DeviceWrite } | undefined {
    let write;
    try {
      write = route.handle(packet.topic, packet.payload);
    } catch (err) {
      // Keyed by the route's filter, not the topic: one throttled report per route, however many topics.
      this.parts.failed(route.extension, `route "${route.filter}"`, err);
      return undefined;
    }
    if (!write) return undefined;
    const where = `(message on "${packet.topic}")`;
    // A retained write would be applied again on every connection: a controller must not retain it.
    if (packet.retain) return this.refuse(`retained write ignored: ${write.device}/${write.capability} ${where}; publish commands without retain`);
    const msg = writeCommand(this.parts.devices, write, route.sender, where);
    if (typeof msg === 'string') return this.refuse(msg);
    return { msg, write };
  }

  /** The interface will get the command `write` became: the extension hears it (a Homie echo). Never throws. */
  accepted(route: RouteHandler, write: DeviceWrite): void {
    if (!write.accepted) return;
    try {
      write.accepted();
    } catch (err) {
      this.parts.failed(route.extension, `route "${route.filter}" (accepted)`, err);
    }
  }

  private refuse(detail: string): undefined {
    this.parts.refused(detail);
    return undefined;
  }

  /**
   * Stops the extensions (in reverse order), then their presences. What each registered goes
   * first: its `stop()` (which may publish, and await) is not interrupted by its own listeners.
   * Errors are logged, never thrown.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const scope of this.scopes) scope.close();
    this.writes.close();
    for (const { name, instance } of [...this.instances].reverse()) {
      try {
        await instance.stop?.();
      } catch (err) {
        this.parts.logging.logger(name.toLowerCase()).error(`stop() failed: ${errorMessage(err)}`);
      }
    }
    await Promise.all(this.presences.splice(0).map((p) => p.stop()));
  }

  private async presence(o: { suffix: string; topic: string; online: string; lost: string; stopped: string }): Promise<Presence> {
    // An extension still starting when the gateway stopped: a connection opened now would never be closed.
    if (this.stopped) return { stop: async () => undefined };
    const options = { ...o, clientId: `${this.parts.setup.connection.clientId}-${o.suffix}` };
    const transport = this.parts.presence ? this.parts.presence(options) : this.presenceConnection(options);
    this.presences.push(transport);
    transport.start();
    return {
      stop: async () => {
        const i = this.presences.indexOf(transport);
        if (i >= 0) this.presences.splice(i, 1);
        await transport.stop();
      },
    };
  }

  /** The second connection of a presence: the gateway's broker and credentials, its own client id and will. */
  private presenceConnection(o: PresenceOptions): Connection {
    const options = {
      ...this.parts.setup.connection,
      clientId: o.clientId,
      subscriptions: [],
      sharedGroup: undefined,
      pubQos: 1 as const,
      clean: true,
      availabilityTopic: o.topic,
      availabilityPayloads: { online: o.online, stopped: o.stopped, lost: o.lost },
      presenceOnly: true,
    };
    return new Connection(options, { logger: this.parts.logging.logger('presence'), counters: new Counters(), onMessage: (_packet, ack) => ack() });
  }
}
