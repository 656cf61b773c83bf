import type { ExtensionContext, GatewayExtension } from '@mg/core/extensions';
import { HomieBridge, type HomieTuning } from './homie-bridge.js';
import { toHomieId } from './ids.js';
import { homieOptions, type HomieOptions } from './options.js';

/** The root device's id and name: `[HOMIE] deviceid` and `name`, or the client id and the application name. */
function rootDevice(ctx: Pick<ExtensionContext<HomieOptions>, 'options' | 'clientId' | 'appName'>): { id: string; name: string } {
  const wanted = ctx.options.deviceid.trim() || ctx.clientId;
  return { id: toHomieId(wanted), name: ctx.options.name.trim() || ctx.appName };
}

/** The extension with its timing given: `tuning` is for tests (a shorter settle window). */
export function homieExtension(tuning: HomieTuning = {}): GatewayExtension<HomieOptions> {
  return {
    section: 'HOMIE',
    options: homieOptions,
    description: 'Homie 5: the devices of the interface as children of the gateway\'s root device, under "<prefix>/5/".',
    create(ctx) {
      if (!ctx.options.enabled) return undefined;
      const root = rootDevice(ctx);
      const wanted = ctx.options.deviceid.trim();
      if (wanted !== '' && wanted !== root.id) ctx.logger.warn(`deviceid "${wanted}" is not a Homie id: "${root.id}" is used`);
      return new HomieBridge(ctx, root, tuning);
    },
  };
}

/**
 * Homie 5 for a gateway, turned on by `[HOMIE] enabled: on`. A launcher lists it:
 * `startGateway(MyInterface, { appName, extensions: [homie] })`. It holds no state.
 */
export const homie: GatewayExtension<HomieOptions> = homieExtension();
