import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lostCount } from './campaign/checker.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from './campaign/campaign.js';
import { buildMutantCore } from './campaign/mutants.js';
import { defaultKinds } from './campaign/schedule.js';
import regressionSeeds from './campaign/regression-seeds.json';

// The short seeded fault campaign CI runs on every change (the full run is in
// docs/reliability.md, "Fault campaign"): both modes on Mosquitto, every fault kind it supports
// several times, overlapping; nothing may be lost. Then every seed that ever failed, replayed.

interface RegressionSeed {
  seed: number;
  mode: 'event' | 'polling';
  durationS: number;
  faultsPerMinute?: number;
  /** The failing run's load, where it was not the short campaign's. */
  ratePerS?: number;
  window?: number;
  /** What it found, and the fix. */
  why: string;
}

const base = (seed: number, mode: 'event' | 'polling', durationS: number, faultsPerMinute = 45, ratePerS = 150, window = 100): CampaignOptions => ({
  seed,
  durationS,
  mode,
  broker: 'mosquitto',
  ratePerS,
  faultsPerMinute,
  senders: 2,
  window,
  backlog: 300,
  keepaliveS: 2,
  // taken: with received, a gateway killed -9 during a stall loses what it acknowledged into its list.
  acknowledge: 'taken',
  replay: `pnpm campaign --seed ${seed} --duration ${durationS} --mode ${mode} --faults-per-minute ${faultsPerMinute} --rate ${ratePerS} --window ${window}`,
});

/** On failure, what a person needs: the summary and the window around the first loss. */
function explain(r: CampaignResult): string {
  return `${r.summary}\n${r.lossReport ?? ''}\nfiles: ${r.dir}`;
}

function expectNothingLost(r: CampaignResult): void {
  if (lostCount(r.verdict) > 0 || r.verdict.commands.unacked > 0) throw new Error(explain(r));
  expect(r.exitCode).toBe(0);
}

describe('the short fault campaign (Mosquitto)', () => {
  it.each([
    ['event', 24001],
    ['polling', 24002],
  ] as const)(
    '%s mode: every fault kind several times, overlapping, nothing lost (seed %d)',
    async (mode, seed) => {
      const r = await runCampaign(base(seed, mode, 50));
      expectNothingLost(r);
      // The faults happened: each kind at least 3 times, and the load went through them.
      for (const kind of defaultKinds('mosquitto')) {
        const f = r.verdict.faults[kind];
        if (!f || f.injected < 3 || f.failed > 0) throw new Error(`${kind}: ${JSON.stringify(f)}\n${explain(r)}`);
      }
      expect(r.verdict.commands.acked).toBeGreaterThan(2000);
      expect(r.verdict.replies.received + r.verdict.replies.unanswered + r.verdict.replies.lostWithBrokerState.length).toBe(r.verdict.commands.delivered);
    },
    240_000,
  );
});

describe('a deliberately broken gateway', () => {
  it('is caught: a core that drops the messages it held at a disconnect loses commands when the broker loses its state', async () => {
    const core = buildMutantCore('drop-held-messages', mkdtempSync(join(tmpdir(), 'mg-mutant-')));
    // State losses during interface stalls: the gateway holds a command it read (its PUBACK
    // waiting for the interface) when the connection goes, and the CONNACK has no session.
    const r = await runCampaign({
      ...base(24003, 'event', 30, 60),
      kinds: ['broker-state-loss', 'interface-stall'],
      core,
      coreName: 'mutant drop-held-messages',
    });
    expect(r.exitCode).toBe(1);
    const dropped = r.verdict.commands.lost.filter((l) => /^read by gateway \d+ \(not PUBACKed\)/.test(l.why));
    if (dropped.length === 0) throw new Error(`the mutant was not caught\n${explain(r)}`);
    expect(r.lossReport).toContain('seed 24003');
  }, 180_000);
});

describe('regression seeds (every seed that ever failed)', () => {
  for (const s of regressionSeeds as RegressionSeed[]) {
    it(`seed ${s.seed}, ${s.mode} mode, ${s.durationS} s: ${s.why}`, async () => {
      expectNothingLost(await runCampaign(base(s.seed, s.mode, s.durationS, s.faultsPerMinute, s.ratePerS, s.window)));
    }, 300_000);
  }
});
