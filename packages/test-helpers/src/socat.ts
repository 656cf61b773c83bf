// A pseudo-terminal pair for serial tests (@mg/device-io, @mg/interface-serial).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pseudo-terminal pair made by socat: what is written to one end comes out of the other,
 * like two serial ports joined by a null-modem cable. `a` and `b` are stable link names, so the
 * pair can be killed (the device unplugged: the links disappear) and started again under the
 * same names.
 */
export interface SocatPair {
  readonly a: string;
  readonly b: string;
  /** Whether socat runs. */
  readonly running: boolean;
  /**
   * Kills socat: both ends go away, as when a USB adapter is unplugged. SIGTERM lets socat
   * remove its links; SIGKILL does not (they are removed here), like a yanked cable.
   */
  kill(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts socat again with the same link names (`deviceSide`: as for startSocatPair). */
  restart(deviceSide?: DeviceSide): Promise<void>;
  /** Kills socat and removes the directory of the links. */
  close(): Promise<void>;
}

/**
 * Opens the device's end (`b`) before the gateway's end (`a`) appears. A real device is
 * listening when it is plugged in; without this a gateway that reopens `a` at once can write
 * before the simulator has opened `b`, and opening `b` then flushes what was written.
 */
export type DeviceSide = (b: string) => Promise<void>;

const START_TIMEOUT_MS = 5_000;
const KILL_TIMEOUT_MS = 2_000;

/** Starts `socat` with two linked ptys in a new temporary directory; rejects within 5 s. */
export async function startSocatPair(deviceSide?: DeviceSide): Promise<SocatPair> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  // socat links the gateway's end here; it is renamed to `a` once the device's side is open.
  const hidden = join(dir, '.a');
  let child: ChildProcess | undefined;

  const start = async (device?: DeviceSide) => {
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hidden}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let log = '';
    proc.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (err) => reject(new Error(`cannot run socat (${err.message}): install it (Debian/Ubuntu: apt-get install socat)`)));
      proc.once('exit', (code, signal) => reject(new Error(`socat exited at start (${code ?? signal}): ${log}`)));
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(log.includes('starting data transfer loop') && existsSync(hidden) && existsSync(b))) {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`socat did not set up the pty pair within ${START_TIMEOUT_MS} ms: ${log}`);
      }
      await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 10))]);
    }
    await device?.(b);
    renameSync(hidden, a);
  };

  const kill = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), KILL_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    // socat removes its links on SIGTERM; after SIGKILL they would dangle.
    for (const link of [a, b, hidden]) rmSync(link, { force: true });
  };

  await start(deviceSide);
  return {
    a,
    b,
    get running() {
      return child !== undefined;
    },
    kill,
    restart: async (device?: DeviceSide) => {
      await kill();
      await start(device);
    },
    close: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
