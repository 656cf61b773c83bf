import type { InternalMessage } from '../model/message.js';
import type { Characteristic } from '../model/characteristics.js';
import type { RejectReason } from '../model/reject.js';
import type { GatewayCounters } from './counters.js';

/**
 * Why a message was refused: `reason` (counted in `rejected`), `detail` in words for people,
 * and for a token a strict map does not know, which (`characteristic`, `token`) and on what
 * `topic`: branch on these, not on the words.
 */
export interface Refusal {
  reason: RejectReason;
  detail: string;
  characteristic?: Characteristic;
  token?: string;
  topic?: string;
}

/**
 * What a gateway tells its program, as typed events (`gateway.on('connected', ...)`): for
 * dashboards, tests and supervisors, instead of reading log lines.
 */
export interface GatewayEvents {
  /** The interface's `start()` has resolved: the gateway runs. */
  started: [];
  /** Connected to the broker (again); the subscriptions are sent, see `subscribed`. */
  connected: [{ url: string }];
  /**
   * The broker granted these filters (its SUBACK), on each connection: messages on them reach
   * the gateway from now on. A filter it refused comes here once a later attempt is granted.
   */
  subscribed: [{ filters: string[] }];
  /** The connection to the broker was lost; the gateway reconnects by itself. */
  disconnected: [];
  /** A message from MQTT, translated, is handed to the interface. */
  'message-in': [message: InternalMessage, topic: string];
  /** A message of the interface is published (or waits for the broker). */
  'message-out': [message: InternalMessage, topic: string, payload: string];
  /** A message was refused by the topic syntax, the payload syntax, a strict map or a convention. */
  refused: [Refusal & { direction: 'incoming' | 'outgoing' }];
  /** A message was dropped: incoming with `incomingoverflow: dropoldest`, outgoing when the outbox is full. */
  dropped: [{ direction: 'incoming' | 'outgoing' }];
  /** The incoming list is full: reading from the broker stops (`waiting` messages in the list). */
  paused: [{ waiting: number }];
  /** The interface took messages: reading goes on. */
  resumed: [{ pausedMs: number }];
  /** The interface threw (in `loop()`, `start()`, `stop()`); the gateway goes on where it can. */
  'interface-error': [{ where: string; error: unknown }];
  /**
   * An extension threw: `extension` is its section (`HOMEASSISTANT`), `where` says in what
   * (`start()`, a route, a listener). Only a failed `start()` stops the gateway; its `error` is
   * then the ExtensionError `start()` rejects with.
   */
  'extension-error': [{ extension: string; where: string; error: unknown }];
  /**
   * A declared device became reachable or not, as the interface says (`ctx.devices.setAvailable`,
   * `follow`), or went offline because the gateway stops; `reason` says why, when known.
   */
  'device-availability': [{ device: string; available: boolean; reason?: string }];
  /** The gateway has stopped: interface stopped, last messages published, disconnected. */
  stopped: [counters: GatewayCounters];
}
