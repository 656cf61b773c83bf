import { request as httpRequest, type IncomingMessage } from 'node:http';

interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EventStream {
  response: IncomingMessage;
  events: StreamEvent[];
  /** The first event (already received or to come) of that name whose data passes `match`; rejects after `timeoutMs`. */
  next(event: string, match?: (data: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Follows `/api/events` as a browser's EventSource would, parsing the frames (`event:` and `data:` lines). */
export function openEventStream(port: number, options: { paused?: boolean } = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream' }, agent: false },
      (res) => {
        const events: StreamEvent[] = [];
        const waiters: { test: (e: StreamEvent) => boolean; done: (e: StreamEvent) => void }[] = [];
        let buffer = '';
        const ended = new Promise<void>((r) => {
          res.once('close', () => r());
          res.once('end', () => r());
        });
        const take = (block: string) => {
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data === '') return;
          const e = { event, data: JSON.parse(data) as Record<string, unknown> };
          events.push(e);
          for (const w of [...waiters]) {
            if (!w.test(e)) continue;
            waiters.splice(waiters.indexOf(w), 1);
            w.done(e);
          }
        };
        res.setEncoding('utf8');
        // A stream that is not read stands for a browser tab that stopped reading.
        if (!options.paused)
          res.on('data', (chunk: string) => {
            buffer += chunk;
            for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
              take(buffer.slice(0, i));
              buffer = buffer.slice(i + 2);
            }
          });
        resolve({
          response: res,
          events,
          ended,
          next(event, match = () => true, timeoutMs = 5000) {
            const test = (e: StreamEvent) => e.event === event && match(e.data);
            const seen = events.find(test);
            if (seen) return Promise.resolve(seen);
            return new Promise((done, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`no "${event}" event as awaited within ${timeoutMs} ms; got: ${JSON.stringify(events).slice(0, 2000)}`)),
                timeoutMs,
              );
              waiters.push({ test, done: (e) => (clearTimeout(timer), done(e)) });
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
