import type { PollScheduler } from '@mg/device-io';
import type { ProfilePoll } from '../profile/compiled.js';

/** What ProfilePolls uses of the scheduler. */
export type PollQueue = Pick<PollScheduler, 'add' | 'pollNow'>;

export interface ProfilePollsOptions {
  readonly scheduler: PollQueue;
  /** The port: one request at a time on it. */
  readonly bus: string;
  /** The device's id on the scheduler (its backoff is its own). */
  readonly device: string;
  readonly polls: readonly ProfilePoll[];
  /** Sends one line; resolves once written, rejects when it cannot be (the device is away). */
  write(line: string): Promise<void>;
}

/**
 * A profile's periodic queries for one device, on the poll scheduler: on it while the device
 * is connected (`resume()`), off it while the device is away (`pause()`), so that nothing is
 * written to a port that is gone and a device that comes back is not held in a backoff earned
 * while unplugged. A poll succeeds once its lines are written: their answers are device lines
 * like any other, parsed as they come.
 */
export class ProfilePolls {
  private removers: (() => void)[] = [];

  constructor(private readonly o: ProfilePollsOptions) {}

  /** Whether the profile has periodic queries at all. */
  get any(): boolean {
    return this.o.polls.length > 0;
  }

  /** Whether they are on the scheduler now (the device is connected). */
  get active(): boolean {
    return this.removers.length > 0;
  }

  resume(): void {
    this.pause();
    const { scheduler, bus, device } = this.o;
    for (const p of this.o.polls) {
      const item = { device, id: p.id, intervalMs: p.intervalMs, poll: (signal: AbortSignal) => this.send(p.send, signal) };
      this.removers.push(scheduler.add(bus, p.jitterMs > 0 ? { ...item, jitterMs: p.jitterMs } : item));
    }
  }

  pause(): void {
    for (const remove of this.removers.splice(0)) remove();
  }

  /** Polls every item at once (a poll on demand); how many were queued: 0 while the device is away. */
  pollNow(): number {
    return this.active ? this.o.scheduler.pollNow(this.o.device) : 0;
  }

  private async send(lines: readonly string[], signal: AbortSignal): Promise<void> {
    for (const line of lines) {
      signal.throwIfAborted();
      await this.o.write(line);
    }
  }
}
