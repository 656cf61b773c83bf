import { listen } from './callbacks.js';

/**
 * What one extension registered through its context (listeners, the timers of `ctx.retained`):
 * undone by the host when the gateway stops, as Zigbee2MQTT's event bus removes an extension's
 * listeners for it (`removeListeners(this)`), so that no extension keeps a list to undo by hand.
 */
export class ExtensionScope {
  private readonly undo: (() => void)[] = [];
  private isClosed = false;

  /** Whether the gateway has stopped this extension: nothing of it may be called any more. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Keeps `remove` for `close()`, and returns it for an extension that removes earlier (then it
   * is forgotten here). Once closed it runs at once: a registration made by an extension still
   * starting while the gateway stops.
   */
  own(remove: () => void): () => void {
    if (this.isClosed) {
      remove();
      return remove;
    }
    const forget = listen(this.undo, remove);
    return () => {
      forget();
      remove();
    };
  }

  close(): void {
    this.isClosed = true;
    for (const remove of this.undo.splice(0).reverse()) remove();
  }
}
