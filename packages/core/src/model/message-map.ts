import { readJsonFile } from '@mg/app-properties';
import type { JsonValue } from './json.js';
import { InternalMessage, newArguments, type HeardWords, type MessageArguments } from './message.js';
import { describeIssues, MapError } from './map-errors.js';
import { CHARACTERISTICS, type Characteristic } from './characteristics.js';
import { mapFileSchema, type MapFile } from './map-schema.js';
import { buildPayload, parsePayload } from './payload.js';
import { reject, type Converted } from './reject.js';
import { IDENTITY, TokenMap } from './token-map.js';
import { TokenCache } from './topic-cache.js';
import { buildTopic, parseTopic, rootLevels, type TopicTokens } from './topic.js';

// Topics repeat (a gateway sees a few hundred devices): their parse and vocabulary lookups are
// kept, rejections included. Bounded: past this many distinct topics the cache starts over.
const TOPIC_CACHE_SIZE = 4096;

export interface MessageMapOptions {
  /**
   * This gateway's name: outgoing messages with an empty sender are sent as it, and incoming
   * messages whose (mapped) sender is it are dropped as echoes. Empty: neither happens.
   */
  gatewayName?: string;
}

/** An outgoing message, ready to publish. */
export interface MqttMessage {
  topic: string;
  payload: string;
  correlation?: string;
}

/**
 * Translates between MQTT messages and internal messages: topic syntax, payload syntax and the
 * vocabulary of each characteristic.
 */
export class MessageMap {
  readonly root: string;
  readonly topics: readonly string[];
  readonly gatewayName: string;
  private readonly rootLevels: readonly string[];
  private readonly maps: Readonly<Record<Characteristic, TokenMap>>;
  private readonly topicCache = new Map<string, Converted<TopicTokens>>();
  private readonly outCache = new TokenCache<Converted<string>>(TOPIC_CACHE_SIZE);

  private constructor(file: MapFile, options: MessageMapOptions) {
    this.root = file.root;
    this.topics = [...file.topics];
    this.gatewayName = options.gatewayName ?? '';
    this.rootLevels = rootLevels(file.root);
    const maps = {} as Record<Characteristic, TokenMap>;
    for (const c of CHARACTERISTICS) {
      const spec = file[c];
      maps[c] = spec && spec.maptype !== 'none' ? new TokenMap(spec.maptype, spec.map) : IDENTITY;
    }
    this.maps = maps;
  }

  /** Validates a parsed map (`source` names it in errors: usually the file path). */
  static fromObject(data: unknown, source = 'map', options: MessageMapOptions = {}): MessageMap {
    const parsed = mapFileSchema.safeParse(data);
    if (!parsed.success) {
      const lines = describeIssues(parsed.error.issues, data, knownKeys);
      throw new MapError('MAP_INVALID', `${source} is not a valid map:\n  ${lines.join('\n  ')}`);
    }
    return new MessageMap(parsed.data, options);
  }

  /** Reads and validates a map file. */
  static fromFile(path: string, options: MessageMapOptions = {}): MessageMap {
    let data: unknown;
    try {
      data = readJsonFile(path, 'map file');
    } catch (err) {
      throw new MapError('MAP_UNREADABLE', (err as Error).message, { cause: err });
    }
    return MessageMap.fromObject(data, `map file ${path}`, options);
  }

  /** No vocabulary mapping: the configured root and topics, tokens unchanged. */
  static passthrough(root: string, topics: readonly string[], options: MessageMapOptions = {}): MessageMap {
    return MessageMap.fromObject({ root, topics: [...topics] }, 'configuration [MQTT] root/topics', options);
  }

  /** The map type of each characteristic, for `--check` and logs. */
  describe(): Record<Characteristic, string> {
    const out = {} as Record<Characteristic, string>;
    for (const c of CHARACTERISTICS) out[c] = this.maps[c].type;
    return out;
  }

  /** MQTT -> internal. `correlation` is the MQTT 5 correlation data, when there is one. */
  toInternal(topic: string, payload: Uint8Array | string, correlation?: string): Converted<InternalMessage> {
    let t = this.topicCache.get(topic);
    if (t === undefined) {
      t = this.topicToInternal(topic);
      if (this.topicCache.size >= TOPIC_CACHE_SIZE) this.topicCache.clear();
      this.topicCache.set(topic, t);
    }
    if (!t.ok) return t;
    const p = parsePayload(payload);
    if (!p.ok) return p;
    const tokens = t.value;
    const action = this.maps.action.toInternal(p.value.action);
    if (action === undefined) return miss('action', p.value.action, topic, p.value);
    const args = this.mapArguments(p.value.arguments, 'toInternal');
    if (!args.ok) return { ...args, detail: `${args.detail} (message on "${topic}")`, topic, action: p.value.action, correlation: p.value.correlation };
    // The sender's words are kept only where the map changed them (the arguments are a new record then).
    const heard = action !== p.value.action || args.value !== p.value.arguments ? new Heard(p.value.action, p.value.arguments, this.maps.argkey) : undefined;
    return {
      ok: true,
      value: new InternalMessage(
        {
          isCmd: tokens.isCmd,
          function: tokens.function,
          gateway: tokens.gateway,
          location: tokens.location,
          device: tokens.device,
          sender: tokens.sender,
          action,
          arguments: args.value,
          correlation: correlation ?? p.value.correlation,
        },
        true,
        heard,
      ),
    };
  }

  /** The topic's levels in internal vocabulary, or why the topic is refused. */
  private topicToInternal(topic: string): Converted<TopicTokens> {
    const t = parseTopic(topic, this.rootLevels);
    if (!t.ok) return t;
    const m = this.maps;
    const tokens = t.value;
    const fn = m.function.toInternal(tokens.function);
    if (fn === undefined) return miss('function', tokens.function, topic);
    const gateway = m.gateway.toInternal(tokens.gateway);
    if (gateway === undefined) return miss('gateway', tokens.gateway, topic);
    const location = m.location.toInternal(tokens.location);
    if (location === undefined) return miss('location', tokens.location, topic);
    const device = m.device.toInternal(tokens.device);
    if (device === undefined) return miss('device', tokens.device, topic);
    const sender = m.sender.toInternal(tokens.sender);
    if (sender === undefined) return miss('sender', tokens.sender, topic);
    if (this.gatewayName !== '' && sender === this.gatewayName) {
      return reject('echo', `message on "${topic}" was sent by this gateway`);
    }
    return { ok: true, value: { function: fn, gateway, location, device, sender, isCmd: tokens.isCmd } };
  }

  /** This gateway's name in the sender vocabulary (what it publishes as), or undefined when a strict map has none. */
  get senderToken(): string | undefined {
    return this.maps.sender.toMqtt(this.gatewayName);
  }

  /** Internal -> MQTT. An empty sender becomes this gateway's name. */
  toMqtt(msg: InternalMessage): Converted<MqttMessage> {
    let topic = this.outCache.get(msg.function, msg.gateway, msg.location, msg.device, msg.sender, msg.isCmd);
    if (topic === undefined) {
      topic = this.topicToMqtt(msg);
      this.outCache.set(msg.function, msg.gateway, msg.location, msg.device, msg.sender, msg.isCmd, topic);
    }
    if (!topic.ok) return topic;
    const action = this.maps.action.toMqtt(msg.action);
    if (action === undefined) return miss('action', msg.action);
    const args = this.mapArguments(msg.arguments, 'toMqtt');
    if (!args.ok) return args;
    const payload = buildPayload(action, args.value, msg.correlation);
    if (!payload.ok) return payload;
    return {
      ok: true,
      value:
        msg.correlation === undefined
          ? { topic: topic.value, payload: payload.value }
          : { topic: topic.value, payload: payload.value, correlation: msg.correlation },
    };
  }

  /** The topic of an outgoing message, or why there can be none. */
  private topicToMqtt(msg: InternalMessage): Converted<string> {
    const m = this.maps;
    const fn = m.function.toMqtt(msg.function);
    if (fn === undefined) return miss('function', msg.function);
    const gateway = m.gateway.toMqtt(msg.gateway);
    if (gateway === undefined) return miss('gateway', msg.gateway);
    const location = m.location.toMqtt(msg.location);
    if (location === undefined) return miss('location', msg.location);
    const device = m.device.toMqtt(msg.device);
    if (device === undefined) return miss('device', msg.device);
    const sender = m.sender.toMqtt(msg.sender === '' ? this.gatewayName : msg.sender);
    if (sender === undefined) return miss('sender', msg.sender);
    return buildTopic(this.root, { function: fn, gateway, location, device, sender, isCmd: msg.isCmd });
  }

  private mapArguments(source: MessageArguments, direction: 'toInternal' | 'toMqtt'): Converted<MessageArguments> {
    const keyMap = this.maps.argkey;
    const valueMap = this.maps.argvalue;
    if (keyMap === IDENTITY && valueMap === IDENTITY) return { ok: true, value: source };
    const out = newArguments();
    for (const key of Object.keys(source)) {
      const mappedKey = keyMap[direction](key);
      if (mappedKey === undefined) return miss('argkey', key);
      let value: JsonValue = source[key]!;
      // Vocabulary applies to string values; numbers, booleans and structures keep their JSON type.
      if (typeof value === 'string') {
        const mapped = valueMap[direction](value);
        if (mapped === undefined) return miss('argvalue', value);
        value = mapped;
      }
      out[mappedKey] = value;
    }
    return { ok: true, value: out };
  }
}

/** The words of a message the map translated; looked up only when a reply names them. */
class Heard implements HeardWords {
  constructor(
    readonly action: string,
    private readonly raw: MessageArguments,
    private readonly keys: TokenMap,
  ) {}

  argument(key: string): string {
    for (const k of Object.keys(this.raw)) if (this.keys.toInternal(k) === key) return k;
    return this.keys.toMqtt(key) ?? key;
  }

  value(key: string): JsonValue | undefined {
    const k = this.argument(key);
    return Object.prototype.hasOwnProperty.call(this.raw, k) ? this.raw[k] : undefined;
  }
}

/** Why a strict map refuses `token`, in words (the refusal reply sends them to the command's sender). */
export function strictMissText(characteristic: Characteristic, token: string): string {
  return `${characteristic} "${token}" is not in the strict map`;
}

function miss(characteristic: Characteristic, token: string, topic?: string, payload?: { action: string; correlation?: string }) {
  const detail = `${strictMissText(characteristic, token)}${topic ? ` (message on "${topic}")` : ''}`;
  return reject('strict-miss', detail, { characteristic, token, topic, action: payload?.action, correlation: payload?.correlation });
}

function knownKeys(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(mapFileSchema.shape);
  return ['maptype', 'map'];
}
