import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A child process whose output the test can read as it comes. */
export interface LoggedProcess {
  child: ChildProcess;
  /** Standard output so far. */
  out(): string;
  /** Standard error so far. */
  err(): string;
  /** Both, in arrival order. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
}

/** Spawns a process with piped output, collected for the test to read. */
export function spawnLogged(command: string, args: readonly string[], options: SpawnOptions = {}): LoggedProcess {
  const child = spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let both = '';
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), (both += d.toString())));
  child.stderr.on('data', (d: Buffer) => ((err += d.toString()), (both += d.toString())));
  const exit = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return { child, out: () => out, err: () => err, output: () => both, exit };
}

/** Runs a Node script the way a user runs a launcher. */
export function spawnNode(script: string, args: readonly string[] = [], options: SpawnOptions = {}): LoggedProcess {
  return spawnLogged(process.execPath, [script, ...args], options);
}
