import { DeviceDiscovery, HomieDeviceManager, type HomieDevice, type HomieProperty } from 'node-homie';
import { LogLevels, SimpleLogger } from 'node-homie/misc';

// node-homie logs to the console at info; the tests read states, not its chatter.
SimpleLogger.loglevel = LogLevels.error;

interface Subscribable<T> {
  subscribe(next: (value: T) => void): { unsubscribe(): void };
}

/** The first value of `source` that satisfies `match`; rejects after `ms` saying what was awaited and what was last seen. */
export function until<T>(source: Subscribable<T>, match: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      subscription.unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${String(last)}`));
    }, ms);
    const subscription = source.subscribe((value) => {
      last = value;
      if (done || !match(value)) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
      // A BehaviorSubject calls back inside subscribe(), before `subscription` is set: later, then.
      queueMicrotask(() => subscription.unsubscribe());
    });
  });
}

/** A Homie controller made of node-homie's own parts: its discovery on `<prefix>/5/+/$state`, and its device manager. */
export interface Controller {
  devices: HomieDeviceManager;
  device(id: string): Promise<HomieDevice>;
  property(pointer: string): Promise<HomieProperty>;
  stop(): Promise<void>;
}

export async function startController(url: string, topicRoot: string): Promise<Controller> {
  const devices = new HomieDeviceManager();
  const discovery = new DeviceDiscovery({ url, topicRoot });
  const events = discovery.events$.subscribe({
    next: (event) => {
      if (event.type === 'add' && !devices.hasDevice(event.deviceId)) void devices.add(event.makeDevice())?.onInit();
      if (event.type === 'remove') void devices.removeDevice(event.deviceId)?.onDestroy();
    },
  });
  await discovery.onInit();
  return {
    devices,
    // node-homie holds a device learnt live for 3 s: more than the default limit's share on a loaded machine.
    device: (id) => until(devices.selectDevice(id), () => true, `device ${id}`, 20_000),
    property: (pointer) => until(devices.selectProperty(pointer), () => true, `property ${pointer}`, 20_000),
    async stop() {
      events.unsubscribe(); // its bufferTime runs an interval while subscribed
      await discovery.onDestroy();
      await devices.onDestroy();
    },
  };
}
