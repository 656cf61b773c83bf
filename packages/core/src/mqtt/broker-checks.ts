import type { Logger } from '@mg/app-properties';
import type { IConnackPacket, MqttClient } from 'mqtt';

export type Qos = 0 | 1 | 2;

export interface BrokerChecksOptions {
  pubQos: Qos;
  subQos: Qos;
  version: 4 | 5;
  /** `[MQTT] sharedgroup`, when set. */
  sharedGroup?: string;
  /** A topic of this gateway's own for the probes (never one a user subscribes to exactly). */
  probeTopic: string;
  logger: Logger;
  /** How long a probe waits for its answer. Default 2 s per step. */
  probeWaitMs?: number;
}

const SHARED_PROBE_PAYLOAD = 'mg-share-probe';

/**
 * What a broker does not support of what the configuration relies on, found after CONNACK and
 * said once, in words a user can act on:
 *
 * - QoS 2: MQTT 3.1.1 has no way to ask, but a broker grants at most the QoS it supports in a
 *   SUBACK (NATS grants 1 for 2, then closes the connection of a QoS 2 publisher, whose client
 *   sends it again on the next connection: a loop). With `pubqos 2` the publishing QoS is capped
 *   at what a QoS 2 subscription is granted (the real ones with `subqos 2`, else a probe
 *   subscription), before anything is published. MQTT 5 brokers say it in CONNACK.
 * - Shared subscriptions: aedes, NATS 2.9 and RabbitMQ 3.10 grant `$share/<group>/<topic>` and
 *   take it as a plain topic of that name, so the gateway would never receive a command. A probe
 *   subscribes `$share/<group>/<probe>` and publishes to `<probe>`: a broker that shares
 *   delivers it; otherwise a publish to the literal `$share/...` name, delivered, proves the
 *   filter was taken as a topic. The literal publish is only tried on a broker that did not
 *   deliver the first one, so a broker that supports groups never sees it.
 */
export class BrokerChecks {
  /** The highest QoS publishing may use on the current broker. */
  maxQos: Qos = 2;
  private qosKnown = false;
  private qosWarned = false;
  private subQosWarned = false;
  private sharedKnown = false;
  private readonly arrivals = new Map<string, () => void>();
  private readonly waitMs: number;

  /** The shared-subscription probe's filter, made once: it is compared with every message's topic. */
  private readonly shared: string | undefined;

  constructor(private readonly o: BrokerChecksOptions) {
    this.shared = this.sharedFilter();
    this.waitMs = o.probeWaitMs ?? 2_000;
  }

  /** The probes' topics: messages on them are the checks', not the gateway's. */
  intercept(topic: string): boolean {
    const arrived = this.arrivals.get(topic);
    if (arrived) arrived();
    return arrived !== undefined || topic === this.o.probeTopic || topic === this.shared;
  }

  /**
   * A connection is up. Resolves when publishing may start: at once, unless the QoS 2 question
   * is still open (`pubqos 2`), then once it is answered (or given up on). Never rejects.
   */
  connected(client: MqttClient, connack: IConnackPacket, url: string, alive: () => boolean): Promise<void> {
    if (this.o.sharedGroup && !this.sharedKnown) void this.probeShared(client, url, alive);
    if (this.o.pubQos < 2 && this.o.subQos < 2) return Promise.resolve();
    if (this.o.version === 5) {
      const max = connack.properties?.maximumQoS;
      this.learnMaxQos(max === 0 || max === 1 ? max : 2, url, 'its CONNACK says so');
      return Promise.resolve();
    }
    // With subqos 2 alone the gateway's own SUBACK answers (granted()). With pubqos 2 nothing is
    // published before the answer, once: the nodes of a list are alike, and after a node died a
    // probe on the next connection could wait seconds for NATS.
    if (this.o.pubQos < 2 || this.qosKnown) return Promise.resolve();
    return this.probeQos(client, url, alive);
  }

  /** The SUBACK of the gateway's own subscriptions. */
  granted(grants: readonly { topic: string; qos: number }[], url: string): void {
    if (this.o.subQos < 2 || this.o.version === 5) return;
    const ok = grants.filter((g) => g.qos <= 2).map((g) => g.qos);
    if (ok.length === 0) return;
    const max = Math.max(...ok) as Qos;
    this.learnMaxQos(max, url, `a QoS 2 subscription was granted QoS ${max}`);
  }

  private learnMaxQos(max: Qos, url: string, how: string): void {
    this.qosKnown = true;
    this.maxQos = max;
    if (max >= 2) return;
    if (this.o.pubQos === 2 && !this.qosWarned) {
      this.qosWarned = true;
      this.o.logger.warn(
        `the broker at ${url} supports QoS ${max} at most (${how}): messages are published at QoS ${max} instead of [MQTT] pubqos 2 ` +
          '(a broker without QoS 2, like NATS, closes the connection of a QoS 2 publisher). Set pubqos: 1 to say so in the configuration',
      );
    }
    if (this.o.subQos === 2 && !this.subQosWarned) {
      this.subQosWarned = true;
      this.o.logger.warn(
        `the broker at ${url} granted QoS ${max} for [MQTT] subqos 2: a command may arrive twice (at least once, not exactly once). Set subqos: 1 to say so in the configuration`,
      );
    }
  }

  private async probeQos(client: MqttClient, url: string, alive: () => boolean): Promise<void> {
    const topic = `${this.o.probeTopic}/qos`;
    try {
      const grants = await withTimeout(client.subscribeAsync(topic, { qos: 2 }), this.waitMs * 5);
      const g = grants?.[0]?.qos;
      if (g === 0 || g === 1 || g === 2) this.learnMaxQos(g, url, `a QoS 2 subscription was granted QoS ${g}`);
      else if (!this.qosKnown) this.o.logger.debug(`QoS check: the broker at ${url} refused the probe subscription; publishing at QoS ${this.maxQos}`);
      if (alive()) client.unsubscribe(topic);
    } catch {
      // No answer in time, or the connection went: asked again on the next connection.
    }
  }

  private sharedFilter(): string | undefined {
    return this.o.sharedGroup ? `$share/${this.o.sharedGroup}/${this.o.probeTopic}` : undefined;
  }

  private async probeShared(client: MqttClient, url: string, alive: () => boolean): Promise<void> {
    const filter = this.sharedFilter()!;
    const topic = this.o.probeTopic;
    try {
      const grants = await withTimeout(client.subscribeAsync(filter, { qos: 0 }), this.waitMs * 5);
      if (!alive()) return;
      if ((grants?.[0]?.qos ?? 128) > 2) {
        // The gateway's own $share subscriptions are refused too, and said so.
        this.sharedKnown = true;
        return;
      }
      const sent = (name: string) => this.arrival(name);
      const shared = sent(topic);
      client.publish(topic, SHARED_PROBE_PAYLOAD, { qos: 0 });
      if (await shared) {
        this.sharedKnown = true;
        this.o.logger.debug(`shared subscriptions: the broker at ${url} delivers to group "${this.o.sharedGroup}"`);
      } else if (alive()) {
        const literal = sent(filter);
        client.publish(filter, SHARED_PROBE_PAYLOAD, { qos: 0 });
        if (await literal) {
          this.sharedKnown = true;
          this.o.logger.error(
            `the broker at ${url} does not support shared subscriptions: it takes "$share/${this.o.sharedGroup}/..." as a plain topic name, so this gateway receives no commands. ` +
              'Remove [MQTT] sharedgroup and give each instance its own topics (partition by topic), or use a broker with shared subscriptions (Mosquitto 2, EMQX, HiveMQ)',
          );
        }
      }
      if (alive()) client.unsubscribe(filter);
    } catch {
      // The connection went: probed again on the next one.
    } finally {
      this.arrivals.clear();
    }
  }

  /** Resolves true when a probe message arrives on `topic`, false after the wait. */
  private arrival(topic: string): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.arrivals.delete(topic);
        resolve(false);
      }, this.waitMs);
      timer.unref();
      this.arrivals.set(topic, () => {
        clearTimeout(timer);
        this.arrivals.delete(topic);
        resolve(true);
      });
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
