import type { EventEmitter } from 'node:events';
import type { Logger } from '@mg/app-properties';
import type { StateUpdate } from '../model/device-binding.js';
import type { MessageList } from '../model/message-list.js';
import { isReply, type InternalMessage } from '../model/message.js';
import { stampPayload } from '../model/payload.js';
import { defaultPolicy } from '../model/publish-policy.js';
import type { Transport } from '../mqtt/transport.js';
import type { Clock } from './clock.js';
import type { Counters } from './counters.js';
import type { DeviceRegistry } from './devices.js';
import type { GatewayEvents, Refusal } from './events.js';
import { PublishPolicies } from './publish-policies.js';
import type { Setup } from './setup.js';

/** What the way out needs of the gateway. */
export interface OutgoingParts {
  setup: Setup;
  /** `ctx.outgoing`: what the interface pushes. */
  list: MessageList;
  transport: Transport;
  devices: DeviceRegistry;
  /** Whether any extension listens to the devices' states. */
  observed(): boolean;
  events: EventEmitter<GatewayEvents>;
  /** A message the map cannot publish. */
  refused(refusal: Refusal): void;
  log: Logger;
  counters: Counters;
  clock: Clock;
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The interface's messages on their way to the broker: mapped, put under the publish policies
 * (statuses only), stamped with `[MQTT] timestamp` (statuses only), and published.
 */
export class Outgoing {
  private readonly policies: PublishPolicies;
  private readonly qos: 0 | 1 | 2;
  private readonly retain: boolean;
  private readonly stamp: ((at: number) => string | number) | undefined;
  private readonly debug: boolean;

  constructor(private readonly parts: OutgoingParts) {
    const { config } = parts.setup;
    this.qos = config.MQTT.pubqos;
    this.retain = config.MQTT.retain;
    this.debug = parts.log.isLevelEnabled('debug');
    const mode = config.MQTT.timestamp;
    this.stamp = mode === 'iso' ? (at) => new Date(at).toISOString() : mode === 'epochms' ? (at) => at : undefined;
    this.policies = new PublishPolicies({
      defaults: defaultPolicy(config.PUBLISH, config.MQTT.retain),
      clock: parts.clock,
      counters: parts.counters,
      // A refresh says the same again: the extensions heard that value already.
      send: (c, retain, refresh) => this.publish(c.msg, c.topic, c.payload, retain, c.coalesceKey, undefined, c.at, refresh ? undefined : c.updates),
    });
    parts.devices.onChange((devices) => this.policies.configure(devices));
  }

  /** Publishes everything the interface has pushed (or puts it under its policy). */
  publishAll(): void {
    const { parts } = this;
    const { map } = parts.setup;
    const observe = parts.observed();
    const policies = this.policies.active ? this.policies : undefined;
    const timed = policies !== undefined || this.stamp !== undefined;
    for (let msg = parts.list.pull(); msg; msg = parts.list.pull()) {
      // Only a device's state is put under a policy, or replaced by a newer one of the same
      // quantity (topic and action) while it waits: a command, or the reply to one (it carries
      // the request's correlation), is always sent.
      const status = !msg.isCmd && msg.correlation === undefined && !isReply(msg);
      const updates = policies && status ? parts.devices.updates(msg) : undefined;
      // Under a policy, the extensions hear a value once it is published.
      if (observe && !updates) parts.devices.observe(msg);
      const r = map.toMqtt(msg);
      if (!r.ok) {
        parts.refused({ ...r, detail: `${r.detail}: ${msg.toString()}` });
        if (observe && updates) parts.devices.record(updates);
        continue;
      }
      const { topic, payload } = r.value;
      const at = timed ? parts.clock.now() : 0;
      const coalesceKey = status ? `${topic}\u0000${msg.action}` : undefined;
      if (updates) policies!.offer({ msg, topic, payload, coalesceKey: coalesceKey!, updates, at });
      else this.publish(msg, topic, payload, !msg.isCmd && this.retain, coalesceKey, r.value.correlation, at, undefined);
    }
  }

  /** `ctx.outgoing.drained()`: publish what the interface pushed, then wait for the socket. */
  drained(): Promise<void> {
    this.publishAll();
    return this.parts.transport.drained();
  }

  /** At stop: a status waiting for its minimum interval is published now, and the policies' timers end. */
  stop(): void {
    this.policies.stop();
  }

  private publish(
    msg: InternalMessage,
    topic: string,
    payload: string,
    retain: boolean,
    coalesceKey: string | undefined,
    correlation: string | undefined,
    at: number,
    updates: readonly StateUpdate[] | undefined,
  ): void {
    const { parts } = this;
    if (updates && parts.observed()) parts.devices.record(updates);
    // An interface that sets its own timestamp keeps it.
    const out = this.stamp && !msg.isCmd && !hasOwn(msg.arguments, 'timestamp') ? stampPayload(payload, this.stamp(at)) : payload;
    if (this.debug) parts.log.debug(`publishing ${out} on "${topic}"`);
    if (parts.events.listenerCount('message-out') > 0) parts.events.emit('message-out', msg, topic, out);
    parts.transport.publish(topic, out, { kind: 'interface', qos: this.qos, retain, coalesceKey, correlation });
  }
}
