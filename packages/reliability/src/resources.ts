import { connectClient, startMosquitto, type Mosquitto, type TestClient } from '@mg/test-helpers';
import { launchProbe, type ProbeProcess } from './probe.js';

/**
 * Brokers, gateways and clients a scenario starts, all stopped after each test, failed or not.
 * Function properties, not methods: test files destructure them, and none uses `this`.
 */
export interface Resources {
  /** Runs `stop` after the test (last added, first run). */
  add: (stop: () => Promise<unknown> | void) => void;
  broker: (options?: Parameters<typeof startMosquitto>[0]) => Promise<Mosquitto>;
  probe: (...args: Parameters<typeof launchProbe>) => ProbeProcess;
  client: (url: string, options?: Parameters<typeof connectClient>[1]) => Promise<TestClient>;
}

/** Call once at the top of a test file. */
export function useResources(): Resources {
  let stops: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const stop of stops.reverse()) await stop();
    stops = [];
  });
  const add = (stop: () => Promise<unknown> | void) => void stops.push(stop);
  return {
    add,
    async broker(options = {}) {
      const b = await startMosquitto(options);
      add(() => b.dispose());
      return b;
    },
    probe(...args) {
      const p = launchProbe(...args);
      add(() => void p.child.kill('SIGKILL'));
      return p;
    },
    async client(url, options = {}) {
      const c = await connectClient(url, options);
      add(() => c.end());
      return c;
    },
  };
}
