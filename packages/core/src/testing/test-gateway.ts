import { createAppProperties } from '@mg/app-properties';
import type { ConfigInput } from '@mg/config';
import { Gateway } from '../runtime/gateway.js';
import type { GatewayCounters } from '../runtime/counters.js';
import type { GatewayExtension } from '../runtime/extension.js';
import type { InterfaceClass } from '../runtime/interface.js';
import { loadSetup } from '../runtime/setup.js';
import { memoryLogging } from './memory-logging.js';
import type { ReceivedPacket } from '../mqtt/connection-options.js';
import { MemoryTransport, type PublishedMessage } from './memory-transport.js';
import { waitForOn, type WaitFor } from './wait-for.js';

export interface TestGatewayOptions {
  /** Default `testgw`: the gateway's name (the sender of what it publishes, the default client id). */
  appName?: string;
  /** The `[INTERFACE]` options, validated against the class's `static options`. */
  options?: Readonly<Record<string, ConfigInput>>;
  /**
   * `[MQTT]` options. Default: no map (`root: test`, `topics: test/#`). For a map file, give
   * `{ mapping: true, mapfilename: '/path/to/my.map.json' }`.
   */
  mqtt?: Readonly<Record<string, ConfigInput>>;
  /** Other sections of the application, by name (the extensions' sections too). */
  config?: Readonly<Record<string, Readonly<Record<string, ConfigInput>>>>;
  /** Extensions, as a launcher lists them; their presences publish into `published` too. */
  extensions?: readonly GatewayExtension[];
}

/** A whole gateway around an interface, in memory: no broker, no process, nothing written. */
export interface TestGateway {
  /** The gateway itself: its events and counters. */
  readonly gateway: Gateway;
  /** Starts the interface (its `start()`, then polling turns in polling mode). */
  start(): Promise<void>;
  /** Stops it as SIGTERM would: `stop()`, the last messages published, `offline`. */
  stop(): Promise<void>;
  /**
   * Delivers an MQTT message as the broker would: through the topic syntax, the map and flow
   * control. A JSON-able object payload is sent as JSON. Resolves once the gateway has taken it
   * (or refused it with a counted reason); rejects once the gateway has stopped if it never took
   * it (it came while the gateway was stopping: a broker would keep it for the next run).
   */
  receive(
    topic: string,
    payload: string | Buffer | Record<string, unknown>,
    options?: { qos?: 0 | 1 | 2; correlation?: string; retain?: boolean },
  ): Promise<void>;
  /**
   * Whether the interface says the device is reachable (`ctx.devices.setAvailable`, `follow`);
   * undefined for an id no declared device has. `published` shows its availability topic.
   */
  available(deviceId: string): boolean | undefined;
  /** Everything published so far, availability included. */
  readonly published: readonly PublishedMessage[];
  /**
   * The first message published after this call that matches (unless `since` says from where):
   * `waitFor('home/pool/+/status', { action: 'pump', state: 'on' })` (a topic or filter, and
   * fields of the JSON payload, or the payload itself: `waitFor(topic, 'light_on')`),
   * `waitFor({ topic, payload, json, retain }, options)`, or `waitFor((m) => ..., options)`.
   * Start it before what causes the message: `const r = gw.waitFor(...); await gw.receive(...); await r`.
   * Rejects after `timeoutMs` (default 5 s), saying what was awaited and what was published.
   */
  readonly waitFor: WaitFor;
  /** Log records, as `LEVEL name: message` (nothing is printed). */
  readonly logs: readonly string[];
  readonly counters: GatewayCounters;
}

/**
 * Runs an interface through a real gateway in memory, to unit-test it without a broker:
 * feed MQTT messages in, read what it publishes. The gateway's timers are ordinary ones, so
 * jest's fake timers drive polling turns and the interface's own timers alike.
 */
export function createTestGateway(Interface: InterfaceClass, options: TestGatewayOptions = {}): TestGateway {
  const appName = options.appName ?? 'testgw';
  const app = createAppProperties({ name: appName });
  const mqtt = { root: 'test', topics: 'test/#', statsinterval: 0, ...options.mqtt };
  const setup = loadSetup(Interface, {
    app,
    files: [],
    configFile: '',
    values: { ...options.config, MQTT: mqtt, INTERFACE: options.options ?? {} },
    valuesSource: 'createTestGateway() options',
    extensions: options.extensions,
  });
  const logging = memoryLogging(appName);
  let transport: MemoryTransport | undefined;
  const gateway = new Gateway(Interface, setup, {
    logging,
    transport: (ctx) => (transport = new MemoryTransport(ctx, setup.connection.availabilityTopic)),
    presence: (o) => transport!.companion(o.topic, { online: o.online, stopped: o.stopped }),
  });
  const link = transport!;
  // The receive() calls whose message the gateway has not acknowledged yet (held for room, or
  // arrived while stopping): once it has stopped, nothing will take them.
  const unanswered = new Map<(err: Error) => void, string>();
  let stopped = false;
  const notTaken = (topic: string) => new Error(`the message on "${topic}" was not taken: the gateway was stopping (a broker would keep it for the next run)`);
  gateway.once('stopped', () => {
    stopped = true;
    for (const [reject, topic] of unanswered) reject(notTaken(topic));
    unanswered.clear();
  });
  return {
    gateway,
    start: () => gateway.start(),
    stop: () => gateway.stop(),
    receive(topic, payload, o = {}) {
      const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
      const packet: ReceivedPacket = { topic, payload: bytes, qos: o.qos ?? 0 };
      if (o.correlation !== undefined) packet.correlation = o.correlation;
      if (o.retain) packet.retain = true;
      return new Promise<void>((resolve, reject) => {
        const fail = (err: Error) => reject(err);
        let acked = false;
        link.deliver(packet, () => {
          acked = true;
          unanswered.delete(fail);
          resolve();
        });
        if (acked) return;
        if (stopped) reject(notTaken(topic));
        else unanswered.set(fail, topic);
      });
    },
    available: (deviceId) => gateway.available(deviceId),
    published: link.published,
    waitFor: waitForOn(link),
    logs: logging.records,
    get counters() {
      return gateway.counters;
    },
  };
}
