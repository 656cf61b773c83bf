import { differsEnough, mergePolicies, resolvePolicy, type ResolvedPolicy } from './publish-policy.js';

const base: ResolvedPolicy = { changeOnly: false, deadband: 0, deadbandPercent: 0, minIntervalMs: 0, refreshMs: 0, retain: false };

describe('publish policies', () => {
  it('resolve the configuration, then the device, then the capability; a deadband only for a number', () => {
    const config = { ...base, deadband: 2, retain: true };
    expect(resolvePolicy(config, [{ deadband: 1, minInterval: 5 }, { deadband: 0.5 }], true)).toEqual({ ...config, deadband: 0.5, minIntervalMs: 5000 });
    expect(resolvePolicy(config, [{ deadband: 1, changeOnly: true }, { retain: false }], false)).toEqual({
      ...base,
      changeOnly: true,
      retain: false,
    });
  });

  it('let every value through without a comparison, an unchanged one never with one, a number beyond every deadband set', () => {
    expect(differsEnough(base, 1, 1)).toBe(true);
    const changeOnly = { ...base, changeOnly: true };
    expect([differsEnough(changeOnly, 'on', 'on'), differsEnough(changeOnly, 'on', 'off'), differsEnough(changeOnly, undefined, 'on')]).toEqual([
      false,
      true,
      true,
    ]);
    const band = { ...base, deadband: 0.5 };
    expect([0.3, 0.5, 0.6, -0.6].map((d) => differsEnough(band, 20, 20 + d))).toEqual([false, false, true, true]);
    const percent = { ...base, deadbandPercent: 10 };
    expect([105, 110, 111, 89].map((v) => differsEnough(percent, 100, v))).toEqual([false, false, true, true]);
    expect(differsEnough(percent, 0, 0.001)).toBe(true);
  });

  it('merge for a status of several capabilities: the most eager publication, retained only if all are', () => {
    const a = { ...base, changeOnly: true, minIntervalMs: 5000, refreshMs: 0, retain: true };
    const b = { ...base, deadband: 1, minIntervalMs: 1000, refreshMs: 60_000, retain: false };
    expect(mergePolicies([a, b])).toEqual({ ...base, changeOnly: true, minIntervalMs: 1000, refreshMs: 60_000, retain: false });
    expect(mergePolicies([a, base]).changeOnly).toBe(false);
  });
});
