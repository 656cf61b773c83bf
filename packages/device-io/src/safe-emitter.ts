import { EventEmitter } from 'node:events';
import { Throttle } from '@mg/throttled-error';
import { ListenerError, messageOf, type DeviceIoError } from './errors.js';
import type { FullLogger } from './logger.js';

/** Events whose 'error' carries a DeviceIoError. */
type WithError = { error: [error: DeviceIoError] };

/**
 * An EventEmitter whose listeners cannot break the emitter: a listener that throws inside a
 * socket callback would otherwise end the process with a stack trace. What it throws goes to
 * the 'error' listeners, or to the log when there are none; 'error' is never emitted unheard.
 */
export class SafeEmitter<T extends WithError & Record<keyof T, unknown[]>> extends EventEmitter<T> {
  // One throttle per instance: a storm on one device never mutes another.
  private readonly unheardErrors = new Throttle({ kind: 'device listener' });

  constructor(
    /** The name in messages. */
    readonly name: string,
    protected readonly log: FullLogger,
  ) {
    super();
  }

  /** The same emitter, untyped: the generic signatures do not follow a generic event name. */
  private get plain(): EventEmitter {
    return this as unknown as EventEmitter;
  }

  /** Emits, catching what a listener throws. */
  protected safeEmit<K extends keyof T & string>(event: K, ...args: T[K]): void {
    try {
      this.plain.emit(event, ...args);
    } catch (cause) {
      this.report(new ListenerError(`a '${event}' listener of ${this.name} threw: ${messageOf(cause)}`, { cause }));
    }
  }

  /** To the 'error' listeners when there are some, else to the log (throttled). */
  protected report(err: DeviceIoError): void {
    if (this.plain.listenerCount('error') > 0) {
      try {
        this.plain.emit('error', err);
        return;
      } catch (cause) {
        err = new ListenerError(`an 'error' listener of ${this.name} threw: ${messageOf(cause)} (while reporting: ${err.message})`, { cause });
      }
    }
    const v = this.unheardErrors.hit(err.message);
    if (v.trigger) this.log.error(v.report);
  }
}
