import type { Transport } from '../mqtt/transport.js';
import type { Counters } from './counters.js';
import { DeviceAvailability, type AvailabilityChange } from './device-availability.js';
import { deviceDeclarations, DeviceRegistry } from './devices.js';
import type { DeviceDeclarations } from './interface.js';
import { deviceAvailabilityTopic, pollTopic } from './mqtt-settings.js';
import { PollRequests } from './poll-requests.js';
import { topicMatches } from './routes.js';
import type { Setup } from './setup.js';

/** What the device services need of the gateway. */
export interface DeviceServicesParts {
  setup: Setup;
  /** Names the declarations in messages (the interface class). */
  source: string;
  transport: Transport;
  counters: Counters;
  /** A device became reachable or not (`stopping`: all go offline at stop). */
  changed(change: AvailabilityChange, stopping: boolean): void;
  /** A poll request refused (`invalid-value`). */
  refused(detail: string, topic: string): void;
  /** The interface's listener threw. */
  interfaceError(where: string, err: unknown): void;
}

/**
 * What the framework does for the devices an interface declares: their descriptions and
 * states (the registry), their availability on topics of their own, and polls on demand.
 */
export class DeviceServices {
  readonly registry: DeviceRegistry;
  readonly availability: DeviceAvailability;
  private readonly polls: PollRequests;
  /** `ctx.devices`. */
  readonly declarations: DeviceDeclarations;

  constructor(private readonly parts: DeviceServicesParts) {
    const { setup } = parts;
    const mqtt = setup.config.MQTT;
    const qos = mqtt.pubqos;
    this.registry = new DeviceRegistry(parts.source, (where, err) => parts.interfaceError(where, err));
    // Built before the extensions: a device declared later is available before they hear of it.
    this.availability = new DeviceAvailability({
      devices: this.registry,
      topic: deviceAvailabilityTopic(setup.app, mqtt, setup.map),
      publish: (topic, payload) => parts.transport.publish(topic, payload, { kind: 'gateway', qos, retain: true, coalesceKey: `avail\u0000${topic}` }),
      counters: parts.counters,
      changed: (change, stopping) => parts.changed(change, stopping),
    });
    this.polls = new PollRequests({
      topic: pollTopic(setup.app, mqtt, setup.map),
      declared: (id) => this.registry.get(id) !== undefined,
      refused: (detail, topic) => parts.refused(detail, topic),
      failed: (where, err) => parts.interfaceError(where, err),
    });
    this.declarations = deviceDeclarations(this.registry, this.availability, this.polls);
  }

  /** Before connecting: the poll topic, unless a subscription of the map takes it in (a second one would bring each request twice). */
  subscribe(): void {
    const poll = this.polls.topic;
    if (poll && !this.parts.setup.map.topics.some((t) => topicMatches(t, poll))) this.parts.transport.subscribe(poll);
  }

  /** Connected (again): every device's availability, queued behind the gateway's own `online`. */
  connected(): void {
    this.availability.connected();
  }

  /** Whether `topic` is one the gateway publishes for its devices (which a wide subscription brings back). */
  owns(topic: string): boolean {
    return this.availability.owns(topic);
  }

  /** A message on the poll topic is taken here (true); `serving` false: the gateway is stopping, it is dropped. */
  received(topic: string, payload: Buffer, retain: boolean, serving: boolean): boolean {
    if (topic !== this.polls.topic) return false;
    if (serving) this.polls.received(topic, payload, retain);
    return true;
  }

  /** Every device offline, before the extensions stop (a convention hears them go) and the gateway's own `offline`. */
  stop(): void {
    this.availability.stop();
  }
}
