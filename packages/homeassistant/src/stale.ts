import type { DiscoveryConfig } from './discovery.js';
import { ORIGIN_NAME } from './origin.js';

/** What a retained config of ours configured: read back to find what is no longer produced. */
export interface RetainedConfig {
  /** Device form: its components by key, with their platform. */
  components: Record<string, string>;
  stateTopics: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// Read in full and abbreviated form: a config of ours may have been written either way.
const pick = (o: Json, full: string, short: string): unknown => o[full] ?? o[short];

/** A retained config, if it is ours (its origin names this package); undefined for anything else or an empty payload. */
export function readRetainedConfig(payload: string): RetainedConfig | undefined {
  if (payload === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  const origin = pick(parsed, 'origin', 'o');
  if (!isObject(origin) || origin.name !== ORIGIN_NAME) return undefined;
  const components: Record<string, string> = {};
  const stateTopics: string[] = [];
  const cmps = pick(parsed, 'components', 'cmps');
  const entities = isObject(cmps) ? Object.entries(cmps) : [['', parsed] as const];
  for (const [key, value] of entities) {
    if (!isObject(value)) continue;
    const platform = pick(value, 'platform', 'p');
    if (key !== '' && typeof platform === 'string') components[key] = platform;
    const state = pick(value, 'state_topic', 'stat_t');
    if (typeof state === 'string') stateTopics.push(state);
  }
  return { components, stateTopics };
}

/** What to publish so that nothing this gateway no longer produces stays in Home Assistant. */
export interface Cleanup {
  /** Device configs to publish first with each removed component reduced to its platform: how Home Assistant removes one component. */
  stubs: { topic: string; payload: Json }[];
  /** Config topics to clear (empty retained payload): devices or entities no longer produced, or in the other form. */
  clear: string[];
  /** Old state topics no entity reads any more (the base topic changed): cleared so no retained state is left behind. */
  clearStates: string[];
}

/** Compares the retained configs of this node with those about to be published. */
export function planCleanup(retained: ReadonlyMap<string, string>, produced: readonly DiscoveryConfig[]): Cleanup {
  const byTopic = new Map(produced.map((p) => [p.topic, p]));
  const states = new Set(produced.flatMap((p) => p.stateTopics));
  const cleanup: Cleanup = { stubs: [], clear: [], clearStates: [] };
  const oldStates = new Set<string>();
  for (const [topic, payload] of retained) {
    const old = readRetainedConfig(payload);
    if (!old) continue;
    for (const s of old.stateTopics) if (!states.has(s)) oldStates.add(s);
    const now = byTopic.get(topic);
    if (!now) {
      cleanup.clear.push(topic);
      continue;
    }
    const removed = Object.keys(old.components).filter((k) => !(k in now.components));
    if (removed.length > 0 && isObject(now.payload.components)) {
      const stubs = Object.fromEntries(removed.map((k) => [k, { platform: old.components[k] }]));
      cleanup.stubs.push({ topic, payload: { ...now.payload, components: { ...now.payload.components, ...stubs } } });
    }
  }
  cleanup.clearStates = [...oldStates];
  return cleanup;
}
