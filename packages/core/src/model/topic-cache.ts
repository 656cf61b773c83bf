/**
 * Values kept per outgoing topic, keyed by the five internal tokens and the type without
 * building a key string: nested maps on strings that are usually the same objects each time,
 * so each lookup hashes nothing new. Bounded: past `limit` entries it starts over.
 */
export class TokenCache<V> {
  private levels = new Map<string, Map<string, Map<string, Map<string, Map<string, [V?, V?]>>>>>();
  private count = 0;

  constructor(private readonly limit: number) {}

  get(fn: string, gateway: string, location: string, device: string, sender: string, isCmd: boolean): V | undefined {
    const pair = this.levels.get(fn)?.get(gateway)?.get(location)?.get(device)?.get(sender);
    return pair?.[isCmd ? 0 : 1];
  }

  set(fn: string, gateway: string, location: string, device: string, sender: string, isCmd: boolean, value: V): void {
    if (this.count >= this.limit) {
      this.levels = new Map();
      this.count = 0;
    }
    const a = child(this.levels, fn);
    const b = child(a, gateway);
    const c = child(b, location);
    const d = child(c, device);
    let pair = d.get(sender);
    if (!pair) d.set(sender, (pair = [undefined, undefined]));
    if (pair[isCmd ? 0 : 1] === undefined) this.count += 1;
    pair[isCmd ? 0 : 1] = value;
  }
}

function child<K, T>(map: Map<K, Map<string, T>>, key: K): Map<string, T> {
  let next = map.get(key);
  if (!next) map.set(key, (next = new Map<string, T>()));
  return next;
}
