import type { ExtensionContext, GatewayExtension } from '@mg/core/extensions';
import { HomeAssistantBridge, type BridgeTuning } from './bridge.js';
import type { DiscoverySettings } from './discovery.js';
import { nodeIdFor } from './ids.js';
import { homeAssistantOptions, type HomeAssistantOptionShape } from './options.js';
import { originBlock } from './origin.js';
import { checkTopicBase, DiscoveryTopics, EntityTopics } from './topics.js';

/** The settings of one gateway's bridge, from its `[HOMEASSISTANT]` options and what the gateway is. */
function settingsFor(ctx: ExtensionContext<HomeAssistantOptionShape>): DiscoverySettings {
  const o = ctx.options;
  // nodeid is checked by its option (and --check), or made from the application name.
  const node = nodeIdFor(ctx.appName, o.nodeid);
  const prefix = checkTopicBase('prefix', o.prefix.trim());
  const base = checkTopicBase('basetopic', ctx.expandTopic(o.basetopic.trim()));
  return {
    form: o.form,
    node,
    discovery: new DiscoveryTopics(prefix, node),
    entities: new EntityTopics(base),
    availability: ctx.availability,
    deviceAvailability: (device) => ctx.deviceAvailability(device),
    origin: originBlock(),
  };
}

/**
 * The Home Assistant extension, for a launcher's `extensions` list. It is off unless
 * `[HOMEASSISTANT] discovery` is on. `tuning` is for tests (shorter waits, a fixed random).
 */
export function homeAssistantExtension(tuning: BridgeTuning = {}): GatewayExtension<HomeAssistantOptionShape> {
  return {
    section: 'HOMEASSISTANT',
    options: homeAssistantOptions,
    description: 'Home Assistant MQTT discovery of the devices the interface declares; commands from Home Assistant go to the interface.',
    create(ctx) {
      if (!ctx.options.discovery) return undefined;
      return new HomeAssistantBridge(ctx, settingsFor(ctx), tuning);
    },
  };
}

/** The extension with its default timing: `startGateway(MyInterface, { extensions: [homeAssistant] })`. It holds no state. */
export const homeAssistant: GatewayExtension<HomeAssistantOptionShape> = homeAssistantExtension();
