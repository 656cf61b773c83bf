import { HomeAssistantError } from './errors.js';
import type { Platform } from './platforms.js';

/** A topic this extension publishes under or subscribes below: no wildcards, no empty levels. */
export function checkTopicBase(option: string, topic: string): string {
  if (topic === '' || /[+#]/.test(topic) || topic.includes('\u0000') || topic.split('/').includes(''))
    throw new HomeAssistantError(
      'HOMEASSISTANT_TOPIC_INVALID',
      `[HOMEASSISTANT] ${option}: "${topic}" cannot be used: give levels without +, # or empty levels (e.g. "homeassistant")`,
    );
  return topic;
}

/**
 * Where states go and commands come from: `<base>/<device>/<capability>` and `.../set`. The
 * base may change (a new root): nothing Home Assistant keeps refers to it.
 */
export class EntityTopics {
  constructor(readonly base: string) {}

  state(device: string, capability: string): string {
    return `${this.base}/${device}/${capability}`;
  }

  command(device: string, capability: string): string {
    return `${this.base}/${device}/${capability}/set`;
  }

  /** The filter of every command topic (the only ones subscribed to). */
  get commandFilter(): string {
    return `${this.base}/+/+/set`;
  }

  /** The filter routed to the extension: its states come back to it, never to the map. */
  get routeFilter(): string {
    return `${this.base}/#`;
  }

  /** The device and capability of a command topic, or undefined for a state topic. */
  parseCommand(topic: string): { device: string; capability: string } | undefined {
    if (!topic.startsWith(`${this.base}/`)) return undefined;
    const levels = topic.slice(this.base.length + 1).split('/');
    if (levels.length !== 3 || levels[2] !== 'set') return undefined;
    return { device: levels[0]!, capability: levels[1]! };
  }
}

/**
 * Discovery topics: `<prefix>/device/<node>/<device>/config` (device form) and
 * `<prefix>/<platform>/<node>/<device>_<capability>/config` (entity form). Both put the node id
 * at the same level, so `<prefix>/+/<node>/+/config` finds every config of this node in either form.
 */
export class DiscoveryTopics {
  constructor(
    readonly prefix: string,
    readonly node: string,
  ) {}

  device(device: string): string {
    return `${this.prefix}/device/${this.node}/${device}/config`;
  }

  entity(platform: Platform, device: string, capability: string): string {
    return `${this.prefix}/${platform}/${this.node}/${device}_${capability}/config`;
  }

  /** Every config of this node, both forms. */
  get filter(): string {
    return `${this.prefix}/+/${this.node}/+/config`;
  }

  /** Home Assistant's birth and last will. */
  get status(): string {
    return `${this.prefix}/status`;
  }
}
