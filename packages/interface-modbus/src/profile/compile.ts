import { capabilitySchema, type Capability, type PublishPolicy } from '@mg/core/devices';
import type { ModbusProfileIssue } from '../errors.js';
import { CompiledPoint, mergePolicy } from './point.js';
import type { Profile } from './schema.js';
import type { CompiledModbusProfile, ModbusCommand, ModbusPoint } from './types.js';

/** Deadbands are for numbers: core refuses them on other kinds. */
function policyFor(kind: Capability['kind'], policy: PublishPolicy | undefined): PublishPolicy | undefined {
  if (!policy || kind === 'number') return policy;
  const { deadband: _d, deadbandPercent: _p, ...rest } = policy;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * The capability a point gives when the profile declares none: what it reads as (a bool is
 * binary, an enum an enum, a string text, anything else a number with its unit), read-only, or
 * readwrite with the point's `_SET` command when it is writable.
 */
function derivedCapability(p: CompiledPoint): Record<string, unknown> {
  const kind = p.type === 'bool' || p.type === 'bit' ? 'binary' : p.enumeration ? 'enum' : p.type === 'string' ? 'text' : 'number';
  const c: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    kind,
    access: p.write ? 'readwrite' : 'read',
    state: { action: p.action, argument: p.argument },
  };
  if (p.write) c.command = { action: p.write.action, argument: p.argument };
  if (kind === 'enum') c.options = [...p.enumeration!.values()];
  if (kind === 'number') {
    if (p.unit !== undefined) c.unit = p.unit;
    Object.assign(c, p.limits);
  }
  const publish = policyFor(kind, p.publish);
  if (publish) c.publish = publish;
  return c;
}

/**
 * A declared capability with the publish policy of the point it reads underneath its own keys,
 * since core applies policies per capability: a profile says "refresh hourly" once, on a group.
 */
function withPointPolicy(c: Capability, points: readonly ModbusPoint[]): Capability {
  const s = c.state;
  const point = s && 'argument' in s ? points.find((p) => p.action === s.action && p.argument === s.argument) : undefined;
  if (!point?.publish || c.access === 'write') return c;
  const publish = policyFor(c.kind, mergePolicy(point.publish, c.publish));
  return publish ? { ...c, publish } : c;
}

export function compileProfile(profile: Profile, file: string): CompiledModbusProfile | { issues: ModbusProfileIssue[] } {
  const points = profile.points.map((def, i) => new CompiledPoint(def, profile, i));
  const commands = new Map<string, ModbusCommand>();
  for (const p of points) {
    if (!p.write) continue;
    commands.set(p.write.action, { point: p, argument: p.argument });
    if (p.switchActions) {
      commands.set(p.switchActions.on, { point: p, value: true });
      commands.set(p.switchActions.off, { point: p, value: false });
    }
  }
  let capabilities: Capability[];
  const issues: ModbusProfileIssue[] = [];
  if (profile.capabilities) capabilities = profile.capabilities.map((c) => withPointPolicy(c, points));
  else {
    capabilities = [];
    points.forEach((p, i) => {
      const parsed = capabilitySchema.safeParse(derivedCapability(p));
      if (parsed.success) capabilities.push(parsed.data);
      // Only a range core finds empty gets here (write min equal to max): say where it comes from.
      else for (const e of parsed.error.issues) issues.push({ path: `points[${i}]`, message: `its capability: ${e.path.join('.')} ${e.message}` });
    });
  }
  if (issues.length > 0) return { issues };
  return {
    name: profile.name,
    description: profile.description,
    ...(profile.maker !== undefined && { maker: profile.maker }),
    ...(profile.model !== undefined && { model: profile.model }),
    points,
    commands,
    capabilities,
    derivedCapabilities: !profile.capabilities,
    file,
  };
}
