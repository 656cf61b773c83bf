import type { Logger } from '@mg/app-properties';
import type { Backoff } from '@mg/backoff';
import { Throttle } from '@mg/throttled-error';
import type { MqttClient } from 'mqtt';
import type { MqttCounters } from './connection-options.js';
import type { BrokerChecks } from './broker-checks.js';

export interface SubscriberOptions {
  subQos: 0 | 1 | 2;
  logger: Logger;
  counters: MqttCounters;
  checks: BrokerChecks;
  /** The URL of the broker connected to, for the messages. */
  url(): string;
  /** The broker granted these filters (a SUBACK; a refused one comes again once granted). */
  granted?(filters: string[]): void;
}

/** A filter as a shared subscription of `group` (`$share/<group>/<filter>`), or as is without a group. */
export function sharedFilter(group: string | undefined, filter: string): string {
  return group ? `$share/${group}/${filter}` : filter;
}

/**
 * Subscribes, and subscribes again with growing delays to what the broker refused while the
 * connection lasts: NATS refuses QoS 1 subscriptions (SUBACK 0x80) for a while when a node of
 * its cluster is down, and a gateway that gave up would receive nothing until it reconnects.
 */
export class Subscriber {
  private readonly refusals = new Throttle({ kind: 'subscription' });

  constructor(private readonly o: SubscriberOptions) {}

  /** `alive` is false once this connection is gone: then nothing more is done for it. */
  subscribe(client: MqttClient, topics: string[], alive: () => boolean, retry: Backoff): void {
    const { o } = this;
    client.subscribe(topics, { qos: o.subQos }, (err, requested, suback) => {
      if (!alive()) return;
      // MQTT.js reports a SUBACK with any refusal (0x80) as an error, with the requested
      // filters and the SUBACK's codes in the same order: each filter gets its own code.
      const codes = suback?.granted;
      if (!requested || !codes || codes.length !== requested.length) {
        if (err) o.logger.error(`subscription failed: ${err.message}`);
        return;
      }
      const grants = requested.map((r, i) => ({ topic: r.topic, qos: typeof codes[i] === 'number' ? codes[i] : 128 }));
      o.checks.granted(grants, o.url());
      const refused = grants.filter((g) => g.qos === 128 || g.qos > 2).map((g) => g.topic);
      const ok = grants.filter((g) => g.qos <= 2).map((g) => g.topic);
      if (ok.length > 0) {
        o.logger.info(`subscribed to ${ok.join(', ')}${retry.attempts > 0 ? ` (after ${retry.attempts} refusal${retry.attempts === 1 ? '' : 's'})` : ''}`);
        o.granted?.(ok);
      }
      if (refused.length === 0) return;
      o.counters.subscriptionsRefused += refused.length;
      const delay = retry.next();
      const v = this.refusals.hit(
        `the broker at ${o.url()} refused the subscription to ${refused.map((t) => `"${t}"`).join(', ')} (not authorised, an invalid filter, or a cluster missing a node); trying again in ${(delay / 1000).toFixed(1)} s`,
      );
      if (v.trigger) o.logger.error(v.report);
      const timer = setTimeout(() => {
        if (alive()) this.subscribe(client, refused, alive, retry);
      }, delay);
      timer.unref();
    });
  }
}
