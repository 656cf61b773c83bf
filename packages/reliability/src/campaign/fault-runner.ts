import { seededRandom } from './prng.js';
import { FAULT_FAMILY, faultSchedule, type FaultFamily, type PlannedFault, type ScheduleOptions } from './schedule.js';
import type { FaultRecord } from './history.js';
import type { CampaignSystem } from './system.js';

/**
 * Plays a seed's fault plan on the system: each fault starts at its planned time (or, if the
 * previous fault of its family is late to heal, right after it), is healed after its planned
 * duration, and is recorded. `stop()` stops planning, heals what is active now and resolves
 * when everything is healed.
 */
export class FaultRunner {
  readonly records: FaultRecord[] = [];
  private readonly active = new Set<FaultRecord>();
  private readonly chains: Record<FaultFamily, Promise<void>> = { broker: Promise.resolve(), link: Promise.resolve(), gateway: Promise.resolve() };
  private readonly stopping = new AbortController();
  private readonly planning: Promise<void>;
  /** Told as each fault takes effect. */
  onStarted: (kind: FaultRecord['kind']) => void = () => undefined;

  constructor(
    private readonly system: CampaignSystem,
    seed: number,
    o: ScheduleOptions,
    private readonly log: (line: string) => void,
    private readonly t0 = Date.now(),
  ) {
    this.planning = this.plan(faultSchedule(seed, o));
  }

  /** Faults injected and not yet healed. */
  get activeKinds(): string[] {
    return [...this.active].map((f) => f.kind);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.planning;
    await Promise.all(Object.values(this.chains));
  }

  /** Resolves at `t` (epoch ms) or when stopping, whichever comes first. */
  private until(t: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted || t <= Date.now()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, t - Date.now());
      signal.addEventListener('abort', done);
    });
  }

  private async plan(schedule: Generator<PlannedFault>): Promise<void> {
    for (const p of schedule) {
      await this.until(this.t0 + p.atMs);
      if (this.stopping.signal.aborted) return;
      const family = FAULT_FAMILY[p.kind];
      this.chains[family] = this.chains[family].then(() => this.play(p));
    }
  }

  private async play(p: PlannedFault): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const record: FaultRecord = { index: p.index, kind: p.kind, startedAt: Date.now() };
    this.records.push(record);
    try {
      const fault = await this.system.inject(p.kind, seededRandom(p.seed));
      record.startedAt = fault.startedAt;
      this.active.add(record);
      this.onStarted(p.kind);
      this.log(`fault #${p.index} ${p.kind} started (planned at +${(p.atMs / 1000).toFixed(3)} s for ${p.durationMs} ms)`);
      await this.until(fault.startedAt + p.durationMs);
      await fault.heal();
      record.healedAt = Date.now();
      this.log(`fault #${p.index} ${p.kind} healed`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // A failed heal leaves the fault injected (it happened, never healed); a failed injection did not happen.
      if (this.active.has(record)) this.log(`fault #${p.index} ${p.kind} heal failed: ${message}`);
      else record.error = message;
      if (record.error !== undefined) this.log(`fault #${p.index} ${p.kind} failed: ${message}`);
    } finally {
      this.active.delete(record);
    }
  }
}
