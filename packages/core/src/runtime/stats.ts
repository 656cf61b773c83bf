import type { Transport } from '../mqtt/transport.js';
import type { Counters } from './counters.js';

/** The counters, published as JSON on the stats topic every `everyMs` (not retained: a newer one replaces a waiting one). */
export class StatsPublisher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly topic: string | undefined,
    private readonly everyMs: number,
    private readonly transport: Transport,
    private readonly counters: Counters,
  ) {}

  start(): void {
    const { topic } = this;
    if (!topic) return;
    this.timer = setInterval(() => {
      this.transport.publish(topic, JSON.stringify(this.counters.toJSON()), { kind: 'gateway', qos: 0, retain: false, coalesceKey: topic });
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
