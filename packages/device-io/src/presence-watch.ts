import { lstat, stat } from 'node:fs/promises';

/**
 * What tells the device node behind a path apart from another: the path's own inode and
 * change time (a link or node created again has a new change time, its inode number may be
 * reused) and the device number it leads to.
 */
interface Identity {
  ino: number;
  ctimeMs: number;
  rdev: number;
}

async function identify(path: string): Promise<Identity | NodeJS.ErrnoException> {
  try {
    const [own, target] = await Promise.all([lstat(path), stat(path)]);
    return { ino: own.ino, ctimeMs: own.ctimeMs, rdev: target.rdev };
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

/**
 * Checks every `everyMs` that `path` still names the device that was opened, and calls `gone`
 * once when it does not (the code of the failed stat, or `replaced`). serialport does not
 * always notice an unplugged device: a read that returns end-of-file makes it read again in a
 * loop, forever (serialport/bindings-cpp#162), which the kernel's hang-up of a USB adapter or
 * a pty can cause. Resolves with a function that stops the checks. A path that cannot be
 * stat'ed from the start (`COM3` on Windows) is not watched.
 */
export async function watchPresence(path: string, everyMs: number, gone: (code: string) => void): Promise<() => void> {
  const first = await identify(path);
  if (first instanceof Error || !(everyMs > 0)) return () => undefined;
  let stopped = false;
  let checking = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void identify(path).then((now) => {
      checking = false;
      if (stopped) return;
      const same = 'ino' in now && now.ino === first.ino && now.ctimeMs === first.ctimeMs && now.rdev === first.rdev;
      const code = same ? undefined : 'ino' in now ? 'replaced' : (now.code ?? 'error');
      if (code === undefined) return;
      stop();
      gone(code);
    });
  }, everyMs);
  // The open port keeps the process alive, not its watchdog.
  timer.unref();
  return stop;
}
