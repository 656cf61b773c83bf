import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@mg/core';
import { COMMON_HEADERS, sendProblem } from './http.js';

export interface LiveLimits {
  /** Bytes a viewer may have waiting (unsent) before it is dropped. */
  bufferBytes: number;
  /** Viewers at once; more are answered 503. */
  maxViewers: number;
  /** How often counters are sent (at most), in ms; a keep-alive comment goes with every 15th. */
  countersMs: number;
}

/**
 * The live stream (`/api/events`, Server-Sent Events) and its viewers. A write to a viewer
 * never waits: what the socket cannot take at once waits in the response's own buffer, and a
 * viewer whose buffer passes `bufferBytes` (a stuck tab, a phone gone to sleep) is dropped and
 * counted, so that a slow browser costs the gateway a bounded amount of memory and no time.
 */
export class LiveStream {
  private readonly viewers = new Set<ServerResponse>();
  private droppedCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private closed = false;

  constructor(
    private readonly limits: LiveLimits,
    private readonly log: Logger,
    /** What a new viewer gets first, and `counters` on every tick. */
    private readonly snapshot: { counters(): unknown; connection(): unknown },
    private readonly now: () => number,
  ) {}

  /** Whether anyone watches: events are built only then. */
  get watched(): boolean {
    return this.viewers.size > 0;
  }

  get stats(): { connected: number; dropped: number } {
    return { connected: this.viewers.size, dropped: this.droppedCount };
  }

  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.closed) return sendProblem(res, { status: 503, reason: 'stopping', detail: 'the gateway is stopping' });
    if (this.viewers.size >= this.limits.maxViewers)
      return sendProblem(res, {
        status: 503,
        reason: 'too-many-viewers',
        detail: `${this.limits.maxViewers} viewers follow the live stream already; try again later`,
      });
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Proxies (nginx) must not hold events back.
      'X-Accel-Buffering': 'no',
    });
    // Browsers reconnect by themselves after a lost stream; 2 s is enough to ride out a restart.
    res.write('retry: 2000\n\n');
    this.viewers.add(res);
    req.socket.setNoDelay(true);
    res.once('close', () => {
      this.viewers.delete(res);
      if (this.viewers.size === 0) this.stopTimer();
    });
    this.write(res, frame('connection', { ...(this.snapshot.connection() as object), at: this.now() }));
    this.write(res, frame('counters', this.snapshot.counters()));
    this.startTimer();
  }

  /** Sends an event to every viewer (`data` gets `at`, unless it is the counters). */
  send(event: string, data: object): void {
    if (this.viewers.size === 0) return;
    const chunk = frame(event, event === 'counters' ? data : { ...data, at: this.now() });
    for (const v of this.viewers) this.write(v, chunk);
  }

  /** Ends every stream (they are told nothing more: browsers reconnect to the next run). */
  close(): void {
    this.closed = true;
    this.stopTimer();
    for (const v of this.viewers) v.destroy();
    this.viewers.clear();
  }

  private write(res: ServerResponse, chunk: string): void {
    if (res.destroyed || !this.viewers.has(res)) return;
    if (res.writableLength + Buffer.byteLength(chunk) > this.limits.bufferBytes) {
      this.droppedCount += 1;
      this.viewers.delete(res);
      res.destroy();
      // The first at warn; a viewer that keeps falling behind reconnects every few seconds.
      const text = `a live-stream viewer fell behind (over ${this.limits.bufferBytes} bytes unsent) and was dropped (${this.droppedCount} in all)`;
      if (this.droppedCount === 1) this.log.warn(text);
      else this.log.debug(text);
      return;
    }
    res.write(chunk);
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticks += 1;
      this.send('counters', this.snapshot.counters() as object);
      // A comment now and then keeps idle proxies and NATs from closing a quiet stream.
      if (this.ticks % 15 === 0) for (const v of this.viewers) this.write(v, ': keep-alive\n\n');
    }, this.limits.countersMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
