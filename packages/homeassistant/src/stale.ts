import type { DiscoveryConfig } from './discovery.js';
import { ORIGIN_NAME } from './origin.js';

/**
 * What Home Assistant documents for moving entities between the entity form and the device
 * form: this on the old topics unloads their entities but keeps their settings, which the new
 * configs (same unique ids) then take over; the old topics are cleared afterwards.
 */
export const MIGRATE_PAYLOAD = '{"migrate_discovery":true}';

/** What a retained config of ours configured: read back to find what is no longer produced. */
export interface RetainedConfig {
  /** Device form: its components by key, with their platform. */
  components: Record<string, string>;
  stateTopics: string[];
  /** Every topic it points to (states, commands, availability): whose gateway instance it was. */
  topics: string[];
  uniqueIds: string[];
  /** A migration marker left by this bridge (it carries no origin: it is recognised by its topic, under this node). */
  migrating: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
// Read in full and abbreviated form: a config of ours may have been written either way.
const pick = (o: Json, full: string, short: string): unknown => o[full] ?? o[short];

/**
 * A retained config of this node, if it is ours (its origin names this package, or it is a
 * migration marker); undefined for anything else or an empty payload.
 */
export function readRetainedConfig(payload: string): RetainedConfig | undefined {
  if (payload === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  if (pick(parsed, 'migrate_discovery', 'migr_discvry') === true && Object.keys(parsed).length === 1)
    return { components: {}, stateTopics: [], topics: [], uniqueIds: [], migrating: true };
  const origin = pick(parsed, 'origin', 'o');
  if (!isObject(origin) || origin.name !== ORIGIN_NAME) return undefined;
  const read: RetainedConfig = { components: {}, stateTopics: [], topics: [], uniqueIds: [], migrating: false };
  const topic = (v: unknown) => typeof v === 'string' && read.topics.push(v);
  // Availability in either form: one topic, or a list of them (the gateway's and the device's).
  const availability = (o: Json) => {
    topic(pick(o, 'availability_topic', 'avty_t'));
    const list = pick(o, 'availability', 'avty');
    if (Array.isArray(list)) for (const a of list) if (isObject(a)) topic(pick(a, 'topic', 't'));
  };
  availability(parsed);
  const cmps = pick(parsed, 'components', 'cmps');
  const entities = isObject(cmps) ? Object.entries(cmps) : [['', parsed] as const];
  for (const [key, value] of entities) {
    if (!isObject(value)) continue;
    const platform = pick(value, 'platform', 'p');
    if (key !== '' && typeof platform === 'string') read.components[key] = platform;
    const state = pick(value, 'state_topic', 'stat_t');
    if (typeof state === 'string') read.stateTopics.push(state);
    topic(state);
    topic(pick(value, 'command_topic', 'cmd_t'));
    if (key !== '') availability(value); // the entity form's was read above
    const id = pick(value, 'unique_id', 'uniq_id');
    if (typeof id === 'string') read.uniqueIds.push(id);
  }
  return read;
}

/** What to publish so that nothing this gateway no longer produces stays in Home Assistant. */
export interface Cleanup {
  /** Config topics to clear (empty retained payload): devices or entities no longer produced, and old migration markers. */
  clear: string[];
  /** Config topics of the other form whose entities the new configs take over: MIGRATE_PAYLOAD first, cleared later. */
  migrate: string[];
  /** Device configs to publish first with each removed component reduced to its platform: how Home Assistant removes one component. */
  stubs: { topic: string; payload: Json }[];
  /** Old state topics no entity reads any more (the base topic changed): cleared so no retained state is left behind. */
  clearStates: string[];
}

/**
 * Compares the retained configs of this node with those about to be published. A config this
 * gateway no longer produces is removed only when `mine` says it was this instance's (its topics
 * are under this instance's base or availability): two instances of one application share a
 * node id, and each must leave the other's devices alone.
 */
export function planCleanup(
  retained: ReadonlyMap<string, string>,
  produced: readonly DiscoveryConfig[],
  mine: (old: RetainedConfig) => boolean = () => true,
): Cleanup {
  const byTopic = new Map(produced.map((p) => [p.topic, p]));
  const states = new Set(produced.flatMap((p) => p.stateTopics));
  const ids = new Set(produced.flatMap((p) => p.uniqueIds));
  const cleanup: Cleanup = { clear: [], migrate: [], stubs: [], clearStates: [] };
  const oldStates = new Set<string>();
  for (const [topic, payload] of retained) {
    const old = readRetainedConfig(payload);
    if (!old) continue;
    const now = byTopic.get(topic);
    // One this gateway publishes now is its own by definition; any other only if it was this instance's.
    if (!now && !old.migrating && !mine(old)) continue;
    for (const s of old.stateTopics) if (!states.has(s)) oldStates.add(s);
    if (!now) {
      if (!old.migrating && old.uniqueIds.some((id) => ids.has(id))) cleanup.migrate.push(topic);
      else cleanup.clear.push(topic);
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
