import type { IClientOptions } from 'mqtt';
import type { BrokerEndpoint } from './brokers.js';
import { aimAt } from './client-options.js';

/**
 * The brokers of `[MQTT] host` and the one in use. With several, the next attempt goes to the one
 * after the broker just lost or tried (round robin from there): a dead node is tried again only
 * after every other one, and a gateway whose broker went away does not wait for that very broker
 * first. MQTT.js reads the host from its options on each attempt; its own `servers` rotation is
 * not used because it keeps the TLS server name of the first broker.
 */
export class BrokerRotation {
  /** Index of the broker connected to, or being tried. */
  private current = 0;

  constructor(private readonly brokers: readonly BrokerEndpoint[]) {}

  /** The broker connected to, or being tried. */
  get broker(): BrokerEndpoint {
    return this.brokers[this.current]!;
  }

  /** For the start log: ` (then b, c, in turn)`, or '' with one broker. */
  get others(): string {
    if (this.brokers.length < 2) return '';
    return ` (then ${this.brokers
      .slice(1)
      .map((b) => b.url)
      .join(', ')}, in turn)`;
  }

  /** For the connected log: ` (broker 2 of 3)`, or '' with one broker. */
  get position(): string {
    return this.brokers.length > 1 ? ` (broker ${this.current + 1} of ${this.brokers.length})` : '';
  }

  /** Aims the client's next attempt at the next broker; returns its URL, or undefined with one broker. */
  next(options: IClientOptions): string | undefined {
    if (this.brokers.length < 2) return undefined;
    this.current = (this.current + 1) % this.brokers.length;
    aimAt(options, this.broker);
    return this.broker.url;
  }
}
