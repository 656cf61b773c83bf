/** Whether `topic` matches the MQTT filter `filter` (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  if (filter === '#') return !topic.startsWith('$');
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

interface Route<H> {
  filter: string;
  /** The filter's levels before its first wildcard: most topics are turned away by one startsWith. */
  prefix: string;
  handler: H;
}

/** Topics that belong to extensions: looked up for every message received, so cheap when none match. */
export class Routes<H> {
  private readonly routes: Route<H>[] = [];

  get size(): number {
    return this.routes.length;
  }

  add(filter: string, handler: H): void {
    const wild = filter.search(/[+#]/);
    this.routes.push({ filter, prefix: wild < 0 ? filter : filter.slice(0, wild), handler });
  }

  /** The handler of the first route whose filter matches, or undefined. */
  find(topic: string): H | undefined {
    for (const r of this.routes) if (topic.startsWith(r.prefix) && topicMatches(r.filter, topic)) return r.handler;
    return undefined;
  }
}
