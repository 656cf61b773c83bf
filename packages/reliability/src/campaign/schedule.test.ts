import { FAULT_FAMILY, defaultKinds, faultSchedule, firstFaults } from './schedule.js';

const mosquitto = { kinds: defaultKinds('mosquitto'), faultsPerMinute: 60, keepaliveS: 2 };

describe('the fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(firstFaults(7, mosquitto, 200)).toEqual(firstFaults(7, mosquitto, 200));
    expect(firstFaults(8, mosquitto, 50)).not.toEqual(firstFaults(7, mosquitto, 50));
  });

  it('draws every kind in turn: after k rounds each kind has come k times', () => {
    const faults = firstFaults(1, mosquitto, mosquitto.kinds.length * 25);
    const counts = new Map<string, number>();
    for (const f of faults) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    // A kind skipped for a busy family is taken later in the round: each count is 25 ± 1.
    for (const k of mosquitto.kinds) expect(Math.abs((counts.get(k) ?? 0) - 25)).toBeLessThanOrEqual(1);
    expect(faults.some((f) => f.kind === 'node-kill')).toBe(false);
  });

  it('starts faults in time order, overlapping across families and never within one', () => {
    const faults = firstFaults(3, mosquitto, 500);
    for (let i = 1; i < faults.length; i++) expect(faults[i]!.atMs).toBeGreaterThanOrEqual(faults[i - 1]!.atMs);
    let overlaps = 0;
    for (const [i, a] of faults.entries())
      for (const b of faults.slice(i + 1)) {
        if (b.atMs >= a.atMs + a.durationMs) break;
        if (FAULT_FAMILY[a.kind] === FAULT_FAMILY[b.kind]) throw new Error(`#${a.index} ${a.kind} overlaps #${b.index} ${b.kind}`);
        overlaps++;
      }
    expect(overlaps).toBeGreaterThan(50);
  });

  it('keeps near the asked rate and stalls outlast the keepalive', () => {
    const faults = firstFaults(5, { ...mosquitto, faultsPerMinute: 30 }, 300);
    const minutes = faults[faults.length - 1]!.atMs / 60_000;
    expect(faults.length / minutes).toBeGreaterThan(25);
    expect(faults.length / minutes).toBeLessThan(35);
    for (const f of faults.filter((x) => x.kind === 'interface-stall')) expect(f.durationMs).toBeGreaterThan(2000);
  });

  it('has no fault without kinds', () => {
    expect([...faultSchedule(1, { ...mosquitto, kinds: [] })]).toEqual([]);
  });
});
