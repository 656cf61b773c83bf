import type { DeviceDescription } from './description.js';

/**
 * The `version` of each device's description. Homie 5 wants a higher version whenever the
 * document changes, not necessarily a sequential one: a millisecond timestamp, made strictly
 * greater than the last one given, increases across restarts too (as long as the clock does
 * not go back by more than the gateway was down). An unchanged document keeps its version, so
 * a reconnection does not make controllers parse it again.
 */
export class DescriptionVersions {
  private last = 0;
  private readonly known = new Map<string, { text: string; version: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The document with its version; `changed` says whether it differs from the last one stamped for this id. */
  stamp(id: string, document: Omit<DeviceDescription, 'version'>): { description: DeviceDescription; changed: boolean } {
    const text = JSON.stringify(document);
    const { homie, ...rest } = document; // "homie" and "version" first, for readers of the JSON
    const known = this.known.get(id);
    if (known && known.text === text) return { description: { homie, version: known.version, ...rest }, changed: false };
    this.last = Math.max(this.now(), this.last + 1);
    this.known.set(id, { text, version: this.last });
    return { description: { homie, version: this.last, ...rest }, changed: true };
  }

  forget(id: string): void {
    this.known.delete(id);
  }
}
