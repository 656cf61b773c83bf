import type { Logger } from '@mg/app-properties';
import type { OptionSchema, SectionShape } from '@mg/config';
import { InterfaceError } from '../error-catalog.js';
import type { Device, DeviceInput } from '../model/device.js';
import type { MessageList } from '../model/message-list.js';

/** The typed values of an options shape: `{ interval: number(30, ...) }` gives `{ interval: number }`. */
export type InterfaceOptions<S extends SectionShape> = { readonly [K in keyof S]: S[K] extends OptionSchema<infer T> ? T : never };

/**
 * What a gateway gives its interface when it builds it. `S` is the shape of the class's
 * `static options`, which types `options`.
 */
export interface InterfaceContext<S extends SectionShape = SectionShape> {
  /** The `[INTERFACE]` options, typed and validated from the class's `static options` (defaults filled in). */
  options: InterfaceOptions<S>;
  /** The `[INTERFACE]` options as text: all of them for an interface that declares none. */
  params: Readonly<Record<string, string>>;
  /** Messages from MQTT, already translated to internal messages. */
  incoming: MessageList;
  /** Messages for MQTT: push internal messages here; `await outgoing.drained()` to keep pace. */
  outgoing: MessageList;
  /** A logger on the application's outputs. */
  logger: Logger;
  /** Aborted when the gateway stops: end loops, close ports, clear timers. */
  signal: AbortSignal;
  /** The application name (`dummy2mqtt`). */
  appName: string;
  /** Where the options came from (a configuration file, or "configuration object"), for messages. */
  configFile: string;
  /**
   * Wraps a device callback (a socket or serial event, a timer, an emitter listener) so that an
   * error it throws, or a promise it returns that rejects, is contained: counted as an interface
   * error, logged (throttled, with `where`), an `interface-error` event, and the gateway goes on.
   * `socket.on('data', ctx.contain('socket data', (d) => this.onData(d)))`. What is not wrapped
   * and throws ends the program with one CRITICAL line, `offline` and exit code 1.
   */
  contain<A extends unknown[]>(where: string, callback: (...args: A) => unknown): (...args: A) => void;
  /**
   * The devices this interface serves, for the conventions a launcher ships (Home Assistant
   * discovery, Homie): `set()` replaces them (after a scan, say); an invalid description throws
   * a DeviceError naming the path. Those of the class's static `describe()` are set before start().
   */
  devices: DeviceDeclarations;
}

/**
 * What `ctx.devices.follow()` ties a device's availability to: a connection with a `state` and
 * `state` events, such as a `@mg/device-io` transport (core does not depend on it: any object of
 * this shape will do). The device is available while `state` is `'connected'`.
 */
export interface AvailabilitySource {
  readonly state: string;
  on(event: 'state', listener: (change: { state: string; reason?: string }) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any emitter's off(), whatever its listener type
  off(event: 'state', listener: (...args: any[]) => void): unknown;
}

/** `ctx.devices`: what an interface declares about its devices. */
export interface DeviceDeclarations {
  set(devices: readonly DeviceInput[]): void;
  list(): readonly Device[];
  /**
   * Says whether a declared device is reachable: published retained (`online`/`offline`) on its
   * availability topic (`[MQTT] deviceavailabilitytopic`); a repeat of the current value is not
   * published again. Every device starts available. `reason` goes to the log and the
   * `device-availability` event. An id no declared device has throws a DeviceError (DEVICE_UNKNOWN).
   */
  setAvailable(id: string, available: boolean, reason?: string): void;
  /**
   * Ties a device's availability to a connection's state (a `@mg/device-io` transport, or anything
   * shaped like it): available while its `state` is `'connected'`, from now on. Returns a
   * function that unties it; the gateway unties it at stop. Unknown id: DeviceError (DEVICE_UNKNOWN).
   */
  follow(id: string, source: AvailabilitySource): () => void;
  /**
   * A poll on demand arrived (a message on `[MQTT] polltopic`): read `device` now, a declared
   * device id, or every device when undefined. An unknown id never gets here (refused and
   * counted). Returns a function that removes the listener.
   */
  onPoll(listener: (device: string | undefined) => void): () => void;
}

/**
 * A device interface. The constructor only reads its options; device I/O belongs in `start()`.
 * - `start()`, when present, is awaited before anything else runs: open the device there. It
 *   should resolve once the device is ready (run long loops in the background).
 * - `loop()`, when present, selects polling mode: it runs as soon as incoming messages wait, and
 *   at least every `[MQTT] timeout` seconds. Without it the interface is event-driven: it reads
 *   `ctx.incoming` (for example with `for await`) and pushes to `ctx.outgoing` when it likes.
 * - `stop()`, when present, is awaited at shutdown, before the last messages are published.
 * What the interface pushes is published at once in both modes.
 */
export interface GatewayInterface {
  start?(): void | Promise<void>;
  loop?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** The class a launcher hands to `startGateway` or `createGateway`. */
export interface InterfaceClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each class types its own context
  new (context: InterfaceContext<any>): GatewayInterface;
  readonly name: string;
  /** The `[INTERFACE]` options, built with `@mg/config`'s helpers (`string`, `number`, ...). */
  readonly options?: SectionShape;
  /**
   * The devices the interface serves, from its options alone (a profile, a fixed set): declared
   * before `start()`, and checked by `--check`. Devices found at run time go to `ctx.devices.set()`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each class types its own options
  describe?(options: any): readonly DeviceInput[];
}

/**
 * The mode an interface class runs in, or a clear refusal: a class with neither `loop()` nor
 * `start()` would do nothing, and a `loop`, `start` or `stop` that is not a method is a mistake.
 */
export function interfaceMode(Interface: InterfaceClass): 'polling' | 'event' {
  const proto = (typeof Interface === 'function' ? Interface.prototype : undefined) as Record<string, unknown> | undefined;
  const name = (typeof Interface === 'function' && Interface.name) || String(Interface);
  if (!proto) throw new InterfaceError('INTERFACE_INVALID', `${name} is not a class: give startGateway the interface class itself`);
  for (const method of ['start', 'loop', 'stop']) {
    if (proto[method] !== undefined && typeof proto[method] !== 'function') {
      throw new InterfaceError('INTERFACE_INVALID', `interface ${name}: "${method}" must be a method, found ${typeof proto[method]}`);
    }
  }
  if (typeof proto.loop === 'function') return 'polling';
  if (typeof proto.start === 'function') return 'event';
  throw new InterfaceError(
    'INTERFACE_INVALID',
    `interface ${name} has neither loop() (polling) nor start() (event-driven): give it start() to open the device and read ctx.incoming, or loop() to be called in turns`,
  );
}
