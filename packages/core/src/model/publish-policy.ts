import { z } from 'zod';

/**
 * How the statuses that report a capability are published, declared on a capability
 * (`capability.publish`) or a device (`device.publish`, for all its capabilities; a
 * capability's own keys win), over the defaults of the configuration's `[PUBLISH]` section.
 */
export const publishPolicySchema = z
  .strictObject({
    changeOnly: z.boolean().optional().describe('Publish a status only when its value changed since the last one published.'),
    deadband: z
      .number()
      .min(0)
      .optional()
      .describe('Numbers: publish only a change of more than this (absolute) from the last value published; implies changeOnly.'),
    deadbandPercent: z
      .number()
      .min(0)
      .optional()
      .describe('Numbers: publish only a change of more than this percentage of the last value published; implies changeOnly.'),
    minInterval: z
      .number()
      .min(0)
      .optional()
      .describe('Seconds: at most one publication per interval; a newer value replaces a waiting one and is published when the interval ends.'),
    refresh: z.number().min(0).optional().describe('Seconds: publish the latest value again when nothing was published for this long.'),
    retain: z.boolean().optional().describe('Publish retained (a state) or not (an event); default: [MQTT] retain.'),
  })
  .describe('How the statuses that report a value are published: change-only, deadbands, a minimum interval, a refresh, retained or not.');

/** A publish policy as written in a device description (every key optional). */
export type PublishPolicy = z.output<typeof publishPolicySchema>;

/** A policy with every key decided (the configuration's defaults, then the device's, then the capability's). Times in ms. */
export interface ResolvedPolicy {
  changeOnly: boolean;
  deadband: number;
  deadbandPercent: number;
  minIntervalMs: number;
  refreshMs: number;
  retain: boolean;
}

/** The `[PUBLISH]` defaults, with `[MQTT] retain`, as a policy. */
export function defaultPolicy(
  o: { changeonly: boolean; deadband: number; deadbandpercent: number; mininterval: number; refresh: number },
  retain: boolean,
): ResolvedPolicy {
  return {
    changeOnly: o.changeonly,
    deadband: o.deadband,
    deadbandPercent: o.deadbandpercent,
    minIntervalMs: o.mininterval * 1000,
    refreshMs: o.refresh * 1000,
    retain,
  };
}

/** Whether a policy publishes a status other than as it is pushed (so that the gateway keeps no state when none does). */
export function isDefaultPolicy(p: ResolvedPolicy, retain: boolean): boolean {
  return !p.changeOnly && p.deadband === 0 && p.deadbandPercent === 0 && p.minIntervalMs === 0 && p.refreshMs === 0 && p.retain === retain;
}

/** Precedence: `base`, then each layer's keys that are set. A deadband means nothing but for a number. */
export function resolvePolicy(base: ResolvedPolicy, layers: readonly (PublishPolicy | undefined)[], isNumber: boolean): ResolvedPolicy {
  const p = { ...base };
  for (const l of layers) {
    if (!l) continue;
    if (l.changeOnly !== undefined) p.changeOnly = l.changeOnly;
    if (l.deadband !== undefined) p.deadband = l.deadband;
    if (l.deadbandPercent !== undefined) p.deadbandPercent = l.deadbandPercent;
    if (l.minInterval !== undefined) p.minIntervalMs = l.minInterval * 1000;
    if (l.refresh !== undefined) p.refreshMs = l.refresh * 1000;
    if (l.retain !== undefined) p.retain = l.retain;
  }
  if (!isNumber) p.deadband = p.deadbandPercent = 0;
  return p;
}

/** Whether a policy compares a value with the last one published before publishing it. */
export function comparesValues(p: ResolvedPolicy): boolean {
  return p.changeOnly || p.deadband > 0 || p.deadbandPercent > 0;
}

/**
 * Whether `value` may be published after `last` (the last value published; undefined: none yet):
 * always without comparison; else when it differs, and for numbers by more than every deadband set.
 */
export function differsEnough(p: ResolvedPolicy, last: unknown, value: unknown): boolean {
  if (last === undefined || !comparesValues(p)) return true;
  if (typeof value !== 'number' || typeof last !== 'number') return value !== last;
  const change = Math.abs(value - last);
  if (p.deadband > 0 && !(change > p.deadband)) return false;
  if (p.deadbandPercent > 0 && !(change > (Math.abs(last) * p.deadbandPercent) / 100)) return false;
  return change > 0;
}

/**
 * The policy of a status that reports several capabilities at once (one publication for all):
 * published when any of them asks it, so at the shortest interval and refresh any of them has,
 * and retained only when every one of them is (an event among states is not kept).
 */
export function mergePolicies(policies: readonly ResolvedPolicy[]): ResolvedPolicy {
  const refreshes = policies.map((p) => p.refreshMs).filter((ms) => ms > 0);
  return {
    changeOnly: policies.every((p) => comparesValues(p)),
    deadband: 0,
    deadbandPercent: 0,
    minIntervalMs: Math.min(...policies.map((p) => p.minIntervalMs)),
    refreshMs: refreshes.length > 0 ? Math.min(...refreshes) : 0,
    retain: policies.every((p) => p.retain),
  };
}
