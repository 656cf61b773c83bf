import { defineConfig, loadConfig, section, type ConfigInput, type SectionShape } from '@mg/config';
import { MessageList } from '../model/message-list.js';
import { contained } from '../runtime/callbacks.js';
import { DeviceAvailability } from '../runtime/device-availability.js';
import { deviceDeclarations, DeviceRegistry } from '../runtime/devices.js';
import { PollRequests } from '../runtime/poll-requests.js';
import { interfaceSection } from '../runtime/gateway-config.js';
import type { InterfaceClass, InterfaceContext } from '../runtime/interface.js';
import { paramsOf } from '../runtime/setup.js';
import { memoryLogging } from './memory-logging.js';

/** A context to build an interface class with directly, and what to drive it with. */
export interface TestContext<S extends SectionShape = SectionShape> {
  /** Typed from the class's `static options`, like the context the gateway builds. */
  readonly context: InterfaceContext<S>;
  /** Aborts `context.signal`, as the gateway does when it stops. */
  abort(): void;
  /** Log records, as `LEVEL name: message`. */
  readonly logs: readonly string[];
  /** Whether the interface says a declared device is reachable (`ctx.devices.setAvailable`, `follow`); undefined for an unknown id. */
  available(deviceId: string): boolean | undefined;
  /** Asks a poll as a message on `[MQTT] polltopic` would: the `ctx.devices.onPoll` listeners hear `device` (undefined: every device). */
  poll(device?: string): void;
}

/**
 * The context a gateway would give `Interface`, with its `[INTERFACE]` options validated
 * against the class's `static options` (a bad value throws the ConfigError `--check` would
 * print), for unit tests that call `start()`, `loop()` and `stop()` themselves.
 */
export function createTestContext<S extends SectionShape = SectionShape>(
  Interface: InterfaceClass & { readonly options?: S },
  options: Readonly<Record<string, ConfigInput>> = {},
  appName = 'testgw',
): TestContext<S> {
  const schema = defineConfig({ INTERFACE: Interface.options ? section(Interface.options, Interface.name) : interfaceSection });
  const values = loadConfig(schema, { values: { INTERFACE: options }, valuesSource: 'createTestContext() options' }).values.INTERFACE as Record<
    string,
    unknown
  >;
  const logging = memoryLogging(appName);
  const controller = new AbortController();
  const devices = new DeviceRegistry(`interface ${Interface.name}`);
  // Kept, not published: there is no broker here.
  const availability = new DeviceAvailability({ devices });
  const onError = (w: string, err: unknown) => logging.logger('interface').error(`${w} threw: ${err instanceof Error ? err.message : String(err)}`);
  const polls = new PollRequests({ declared: (id) => devices.get(id) !== undefined, refused: () => undefined, failed: onError });
  // As the gateway does: the class's own description first (an invalid one throws here).
  if (Interface.describe) devices.set(Interface.describe(values));
  return {
    context: {
      options: values as InterfaceContext<S>['options'],
      params: paramsOf(values),
      incoming: new MessageList(),
      outgoing: new MessageList(),
      logger: logging.logger('interface'),
      signal: controller.signal,
      appName,
      configFile: 'createTestContext() options',
      // As the gateway does it: an error is recorded (as a log record), never thrown on.
      contain: (where, callback) => contained(where, callback, onError),
      devices: deviceDeclarations(devices, availability, polls),
    },
    abort: () => controller.abort(),
    logs: logging.records,
    available: (deviceId) => availability.available(deviceId),
    poll: (device) => polls.ask(device),
  };
}
