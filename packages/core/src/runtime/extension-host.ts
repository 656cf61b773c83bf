import type { Logging } from '@mg/app-properties';
import { errorMessage } from '@mg/errors';
import { expandTopic } from '../model/topic-template.js';
import type { Transport } from '../mqtt/transport.js';
import type { DeviceRegistry } from './devices.js';
import type { Availability, DeviceWrite, ExtensionContext, ExtensionInstance, GatewayExtension, Presence } from './extension.js';
import { Routes } from './routes.js';
import type { Setup } from './setup.js';

/** An extension's route: its handler, and the sender its writes are sent as (`homeassistant`). */
export interface RouteHandler {
  sender: string;
  handle(topic: string, payload: Buffer): DeviceWrite | void;
}

/** What the gateway lends its extensions. */
export interface ExtensionHostParts {
  setup: Setup;
  logging: Logging;
  transport: Transport;
  devices: DeviceRegistry;
  signal: AbortSignal;
  contain: ExtensionContext['contain'];
  /** Opens the second connection of a presence (a real one, or in memory for the testing kit). */
  presence: (options: { clientId: string; topic: string; online: string; lost: string; stopped: string }) => Transport;
}

/**
 * The extensions of one gateway (Home Assistant discovery, Homie): each built from its
 * configuration section, given a context, started after the interface and stopped before it.
 */
export class ExtensionHost {
  readonly routes = new Routes<RouteHandler>();
  private readonly instances: { name: string; instance: ExtensionInstance }[] = [];
  private readonly connectedListeners: (() => void)[] = [];
  private readonly presences: Transport[] = [];

  constructor(
    extensions: readonly GatewayExtension[],
    private readonly parts: ExtensionHostParts,
  ) {
    const { setup } = parts;
    const availability: Availability | undefined = setup.connection.availabilityTopic
      ? { topic: setup.connection.availabilityTopic, online: 'online', offline: 'offline' }
      : undefined;
    for (const ext of extensions) {
      const context: ExtensionContext = {
        options: (setup.config[ext.section] ?? {}) as ExtensionContext['options'],
        logger: parts.logging.logger(ext.section.toLowerCase()),
        appName: setup.app.name,
        appVersion: setup.app.version ?? '0.0.0',
        clientId: setup.connection.clientId,
        topicRoot: setup.map.root,
        expandTopic: (template) => expandTopic(template, { root: setup.map.root, app: setup.app.name, clientid: setup.connection.clientId }),
        availability,
        devices: parts.devices,
        signal: parts.signal,
        publish: (topic, payload, o = {}) => parts.transport.publish(topic, payload, { qos: o.qos ?? 1, retain: o.retain ?? false }),
        subscribe: (filter) => parts.transport.subscribe(filter),
        route: (filter, handle) => this.routes.add(filter, { sender: ext.section.toLowerCase(), handle }),
        onConnected: (listener) => {
          this.connectedListeners.push(listener);
          return () => {
            const i = this.connectedListeners.indexOf(listener);
            if (i >= 0) this.connectedListeners.splice(i, 1);
          };
        },
        presence: (o) => this.presence(o),
        contain: parts.contain,
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
        throw new Error(`[${name}] could not start: ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  connected(): void {
    for (const l of [...this.connectedListeners]) l();
  }

  /** Stops the extensions (in reverse order), then their presences. Errors are logged, never thrown. */
  async stop(): Promise<void> {
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
    const transport = this.parts.presence({ ...o, clientId: `${this.parts.setup.connection.clientId}-${o.suffix}` });
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
}
