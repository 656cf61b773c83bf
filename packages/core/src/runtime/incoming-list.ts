import type { InternalMessage } from '../model/message.js';
import { MessageList } from '../model/message-list.js';

/**
 * The gateway's incoming list: a `MessageList` that tells when the interface takes a message
 * (pulled, or handed to a waiting iterator), so that `[MQTT] acknowledge: taken` can acknowledge
 * it to the broker only then, and that can take back its newest message when the connection it
 * came on is lost before the interface took it.
 */
export class IncomingList extends MessageList {
  /** Told of every message the interface takes; set by the flow. */
  onTaken: (msg: InternalMessage) => void = () => undefined;

  /** Takes back `msg` if it is the newest message and not taken yet. */
  withdraw(msg: InternalMessage): boolean {
    return this.takeBackNewest(msg);
  }

  protected override handedOut(msg: InternalMessage): void {
    this.onTaken(msg);
  }
}
