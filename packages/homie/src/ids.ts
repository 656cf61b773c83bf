/**
 * Homie topic ids: lowercase letters, digits and hyphens, not starting or ending with a hyphen
 * (convention 5, "Topic IDs"). The core's ids may end with a hyphen, and client ids and app
 * names may hold anything, so every id this package publishes goes through `toHomieId`.
 */
const HOMIE_ID = /^(?!-)[a-z0-9-]+(?<!-)$/;

export function isHomieId(text: string): boolean {
  return HOMIE_ID.test(text);
}

/** `Lamp2MQTT_01` gives `lamp2mqtt-01`: lowercased, every other character a hyphen, no hyphen at either end. */
export function toHomieId(text: string, fallback = 'gateway'): string {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? fallback : id;
}

/**
 * Gives each name a Homie id, unique in the list: two names that sanitize alike (`amp` and
 * `amp-`) get `amp` and `amp-2`, in list order.
 */
export function uniqueIds(names: readonly string[], prefix = ''): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    const base = toHomieId(prefix === '' ? name : `${prefix}-${name}`);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}
