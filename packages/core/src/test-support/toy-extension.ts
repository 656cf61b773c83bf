// A lamp interface that declares its device, and a toy convention over it, for the extension tests.
import { bool, string } from '@mg/config';
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '../index.js';
import type { GatewayExtension } from '../extensions.js';

export const LAMP: DeviceInput = {
  id: 'lamp',
  name: 'Hall lamp',
  address: { location: 'Hall', device: 'Lamp' },
  capabilities: [
    { id: 'power', name: 'Power', kind: 'binary', command: { actions: { on: 'ON', off: 'OFF' } }, state: { action: 'POWER', argument: 'state' } },
    {
      id: 'level',
      name: 'Level',
      kind: 'number',
      min: 0,
      max: 100,
      command: { action: 'DIM', argument: 'level' },
      state: { action: 'POWER', argument: 'level' },
    },
  ],
};

/** A lamp: answers each command with its new state, as a device reporting back would. */
export class Lamp implements GatewayInterface {
  static describe = (): DeviceInput[] => [LAMP];
  static seen: string[] = [];
  constructor(private readonly ctx: InterfaceContext) {
    Lamp.seen = [];
  }
  loop(): void {
    for (let m = this.ctx.incoming.pull(); m; m = this.ctx.incoming.pull()) {
      Lamp.seen.push(m.toString());
      const state = m.action === 'OFF' ? 'off' : 'on';
      this.ctx.outgoing.push(
        new InternalMessage({ location: 'Hall', device: 'Lamp', action: 'POWER', arguments: { state, level: m.argument('level') ?? 100 } }),
      );
    }
  }
}

/** A minimal convention: `<base>/<device>/<capability>` for states, `/set` for writes, a presence. */
export const toy: GatewayExtension<{ enabled: ReturnType<typeof bool>; base: ReturnType<typeof string> }> = {
  section: 'TOY',
  options: { enabled: bool(false, 'On.'), base: string('toy', 'Base topic.') },
  description: 'A toy convention.',
  create(ctx) {
    if (!ctx.options.enabled) return undefined;
    const base = ctx.options.base;
    return {
      async start() {
        ctx.route(`${base}/#`, (topic, payload) => {
          const [, device, capability, set] = topic.split('/');
          if (set !== 'set') return;
          const text = payload.toString();
          return { device: device!, capability: capability!, value: text === 'true' ? true : text === 'false' ? false : Number(text) };
        });
        ctx.subscribe(`${base}/+/+/set`, { commands: true });
        ctx.devices.onState((d, c, v) => ctx.publish(`${base}/${d.id}/${c.id}`, String(v), { retain: true }));
        for (const d of ctx.devices.list()) ctx.publish(`${base}/${d.id}/$name`, d.name, { retain: true });
        await ctx.presence({ suffix: 'toy', topic: `${base}/$state`, online: 'ready', lost: 'lost', stopped: 'disconnected' });
      },
    };
  },
};
