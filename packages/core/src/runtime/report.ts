import type { EventEmitter } from 'node:events';
import type { Logger } from '@mg/app-properties';
import { errorMessage } from '@mg/errors';
import { Throttle } from '@mg/throttled-error';
import { REJECT_REASONS, type RejectReason } from '../model/reject.js';
import type { Counters } from './counters.js';
import type { AvailabilityChange } from './device-availability.js';
import type { GatewayEvents, Refusal } from './events.js';
import { counted, were } from '../model/words.js';

/**
 * What a gateway counts, tells its program (events) and logs (throttled) when something goes
 * wrong or slows down: refusals, interface errors, pauses, drops; and its last words at stop.
 */
export class Reports {
  private readonly rejects: Record<RejectReason, Throttle>;
  private readonly incomingDrops = new Throttle({ kind: 'incoming drop' });
  // One report a minute at most: a slow interface pauses and resumes reading all the time.
  private readonly pauses = new Throttle({ kind: 'incoming pause', lagMs: 60_000 });
  // One throttle per place: a storm of loop() errors must not hide the one from stop().
  private readonly interfaceErrors = new Map<string, Throttle>();
  private readonly extensionErrors = new Map<string, Throttle>();
  private readonly debug: boolean;

  constructor(
    private readonly log: Logger,
    private readonly counters: Counters,
    private readonly events: EventEmitter<GatewayEvents>,
  ) {
    this.debug = log.isLevelEnabled('debug');
    this.rejects = Object.fromEntries(REJECT_REASONS.map((r) => [r, new Throttle({ kind: r })])) as Record<RejectReason, Throttle>;
  }

  refused(refusal: Refusal, direction: 'incoming' | 'outgoing'): void {
    const { reason, detail } = refusal;
    this.counters.rejected[reason] += 1;
    if (this.events.listenerCount('refused') > 0) {
      const { characteristic, token, topic } = refusal;
      this.events.emit('refused', { direction, reason, detail, characteristic, token, topic });
    }
    // Echoes are routine filtering, not faults.
    if (reason === 'echo') {
      if (this.debug) this.log.debug(`ignored: ${detail}`);
      return;
    }
    const v = this.rejects[reason].hit(detail);
    if (!v.trigger) return;
    const text = `${direction} message rejected (${reason}): ${v.report}`;
    if (reason === 'strict-miss' && direction === 'incoming') this.log.info(text);
    else this.log.warn(text);
  }

  /** `goesOn` false: the error ends the start (CRITICAL). */
  interfaceError(where: string, err: unknown, goesOn = true): void {
    this.counters.interfaceErrors += 1;
    this.events.emit('interface-error', { where, error: err });
    let throttle = this.interfaceErrors.get(where);
    if (!throttle) this.interfaceErrors.set(where, (throttle = new Throttle({ kind: `interface ${where}` })));
    const v = throttle.hit(`${where} threw: ${errorMessage(err)}`);
    if (!v.trigger) return;
    if (goesOn) this.log.error(`interface ${v.report}; the gateway goes on`);
    else this.log.critical(`interface ${v.report}; the gateway cannot start`);
    if (err instanceof Error && err.stack && this.debug) this.log.debug(err.stack);
  }

  /**
   * An extension threw in `where`; the gateway goes on. `startFailed` instead: the ExtensionError
   * that ends the start, whose message already names the extension (CRITICAL).
   */
  extensionError(extension: string, where: string, err: unknown, startFailed = false): void {
    this.counters.extensionErrors += 1;
    this.events.emit('extension-error', { extension, where, error: err });
    if (startFailed) {
      this.log.critical(`${errorMessage(err)}; the gateway cannot start`);
      return;
    }
    const key = `${extension}\u0000${where}`;
    let throttle = this.extensionErrors.get(key);
    if (!throttle) this.extensionErrors.set(key, (throttle = new Throttle({ kind: `extension [${extension}] ${where}` })));
    const v = throttle.hit(`${where} threw: ${errorMessage(err)}`);
    if (v.trigger) this.log.error(`extension [${extension}] ${v.report}; the gateway goes on`);
    if (err instanceof Error && err.stack && this.debug) this.log.debug(err.stack);
  }

  /** A device became reachable or not: an event, and a line (a lost device is a warning, unless the gateway is stopping). */
  deviceAvailability(change: AvailabilityChange, stopping: boolean): void {
    this.events.emit('device-availability', change);
    if (stopping) {
      if (this.debug) this.log.debug(`device "${change.device}" offline: the gateway stops`);
      return;
    }
    const why = change.reason ? `: ${change.reason}` : '';
    if (change.available) this.log.info(`device "${change.device}" is available${why}`);
    else this.log.warn(`device "${change.device}" is not available${why}`);
  }

  /** Reading from the broker pauses: `waiting` messages in the list, reading goes on once `toTake` are taken. */
  paused(waiting: number, toTake: number, limit: number): void {
    const c = this.counters;
    c.incomingPauses += 1;
    c.incomingPaused = true;
    this.events.emit('paused', { waiting });
    const v = this.pauses.hit('the interface is not keeping up');
    if (v.trigger) {
      this.log.warn(
        `the interface is not keeping up: ${waiting} incoming messages wait for it ([MQTT] incomingsize ${limit}); ` +
          `reading from the broker pauses until it has taken ${toTake} of them (new messages wait at the broker; pause number ${c.incomingPauses})`,
      );
    }
  }

  resumed(ms: number): void {
    this.counters.incomingPaused = false;
    this.counters.incomingPausedMs += ms;
    this.events.emit('resumed', { pausedMs: ms });
    if (this.debug) this.log.debug(`reading from the broker again after ${ms} ms`);
  }

  incomingDropped(limit: number): void {
    this.counters.incomingDropped += 1;
    this.events.emit('dropped', { direction: 'incoming' });
    const v = this.incomingDrops.hit('the interface is not taking incoming messages');
    if (v.trigger)
      this.log.warn(
        `${this.counters.incomingDropped} incoming messages dropped so far: the interface does not keep up ([MQTT] incomingsize ${limit} reached, incomingoverflow dropoldest)`,
      );
  }

  /**
   * The last words of a gateway: the reports the throttles held back, and the totals of every
   * drop and refusal, so that a short run does not end with "1 dropped so far" when thousands were.
   * `leftToBroker`: incoming messages read but not acknowledged (the broker keeps them);
   * `outgoingDrops`: outgoing drops the connection's throttled log has not reported.
   */
  final(leftToBroker: number, outgoingDrops: number): void {
    const { log, counters: c } = this;
    if (this.incomingDrops.pending > 0)
      log.warn(`${counted(c.incomingDropped, 'incoming message')} ${were(c.incomingDropped)} dropped in all (incomingoverflow dropoldest)`);
    if (outgoingDrops > 0) log.warn(`${counted(c.dropped, 'outgoing message')} ${were(c.dropped)} dropped in all (outbox full)`);
    for (const [reason, throttle] of Object.entries(this.rejects)) {
      if (throttle.pending > 0)
        log.warn(`${counted(c.rejected[reason as RejectReason], 'message')} ${were(c.rejected[reason as RejectReason])} rejected in all (${reason})`);
    }
    if (leftToBroker > 0) log.info(`${counted(leftToBroker, 'incoming message')} read but not acknowledged ${were(leftToBroker)} left to the broker`);
    const rejected = Object.entries(c.rejected)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`);
    log.info(
      `stopped. Totals: received ${c.received}, delivered ${c.delivered}, published ${c.published} (extensions ${c.extensionPublished}), ` +
        `outgoing dropped ${c.dropped}, coalesced ${c.coalesced}, incoming dropped ${c.incomingDropped}, ` +
        `reading paused ${counted(c.incomingPauses, 'time')} (${(c.incomingPausedMs / 1000).toFixed(1)} s), interface errors ${c.interfaceErrors}, extension errors ${c.extensionErrors}, ` +
        `rejected ${rejected.length > 0 ? rejected.join(', ') : 'none'}`,
    );
  }
}
