/** Time and timers, passed in so that tests drive them (jest's fake timers drive the system one too). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The process's clock. Each call looks the globals up, so that fake timers installed after the
 * gateway was built still drive it; its timers do not keep the process alive.
 */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
