/** Resolves `wait` when `open()` is called: an interface's start() or stop() that waits for its device. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}
