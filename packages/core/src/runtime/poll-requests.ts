import { listen } from './callbacks.js';

type PollListener = (device: string | undefined) => void;

/** What poll requests need of the gateway. */
export interface PollRequestParts {
  /** `[MQTT] polltopic`, expanded; none: polls on demand are off. */
  topic?: string;
  /** Whether a device id is declared. */
  declared(id: string): boolean;
  /** A request that cannot be served: counted and logged as refused input (`invalid-value`). */
  refused(detail: string, topic: string): void;
  /** The interface's poll listener threw. */
  failed(where: string, err: unknown): void;
}

const shown = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);

/**
 * Polls on demand: a message on `[MQTT] polltopic` asks the interface to poll one device (its
 * id as payload) or every device (empty, or `all`), through the `ctx.devices.onPoll` listeners.
 * What cannot be served is refused with a counted reason, never thrown.
 */
export class PollRequests {
  private readonly listeners: PollListener[] = [];

  constructor(private readonly parts: PollRequestParts) {}

  get topic(): string | undefined {
    return this.parts.topic;
  }

  onPoll(listener: PollListener): () => void {
    return listen(this.listeners, listener);
  }

  /** A message on the poll topic. */
  received(topic: string, payload: Buffer, retain: boolean): void {
    const text = payload.toString().trim();
    const where = `(message on "${topic}")`;
    // Kept by the broker, it would poll again on every connection.
    if (retain) return this.parts.refused(`retained poll request ${shown(text)} ignored ${where}; publish poll requests without retain`, topic);
    const device = text === '' || text.toLowerCase() === 'all' ? undefined : text;
    if (device !== undefined && !this.parts.declared(device))
      return this.parts.refused(`poll request for ${shown(device)}: no declared device has this id; send a device id, or "all" ${where}`, topic);
    this.ask(device);
  }

  /** Tells every listener (a copy of the list: one that removes itself does not make the next miss it). */
  ask(device: string | undefined): void {
    for (const l of [...this.listeners]) {
      try {
        l(device);
      } catch (err) {
        this.parts.failed('poll listener', err);
      }
    }
  }
}
