import { NODE_ID } from './description.js';

/** The topics of one Homie domain: `<prefix>/5/<device>/...` (the `5` is fixed by the convention). */
export class HomieTopics {
  readonly base: string;

  constructor(prefix: string) {
    this.base = `${prefix}/5`;
  }

  state(device: string): string {
    return `${this.base}/${device}/$state`;
  }

  description(device: string): string {
    return `${this.base}/${device}/$description`;
  }

  value(device: string, property: string): string {
    return `${this.base}/${device}/${NODE_ID}/${property}`;
  }

  /** Every device's description in the domain: read at each connection to find children no longer declared. */
  get descriptions(): string {
    return `${this.base}/+/$description`;
  }

  /** Everything under a device: routed to the extension, so that nothing of it reaches the map. */
  device(device: string): string {
    return `${this.base}/${device}/#`;
  }

  /** The `/set` topics of a device's properties. */
  sets(device: string): string {
    return `${this.base}/${device}/${NODE_ID}/+/set`;
  }

  /** The device and property of a `/set` topic, or undefined for any other topic. */
  parseSet(topic: string): { device: string; property: string } | undefined {
    if (!topic.startsWith(`${this.base}/`)) return undefined;
    const levels = topic.slice(this.base.length + 1).split('/');
    if (levels.length !== 4 || levels[1] !== NODE_ID || levels[3] !== 'set') return undefined;
    return { device: levels[0]!, property: levels[2]! };
  }
}
