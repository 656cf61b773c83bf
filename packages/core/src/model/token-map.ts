export const MAP_TYPES = ['none', 'loose', 'strict'] as const;
export type MapType = (typeof MAP_TYPES)[number];

/** `internal keyword -> [MQTT keyword, alias, ...]`, as written in map files. */
export type KeywordMap = Readonly<Record<string, readonly string[]>>;

/**
 * The vocabulary of one characteristic. Internal -> MQTT uses the first MQTT keyword;
 * MQTT -> internal accepts every keyword and alias. `none` passes tokens unchanged, `loose`
 * passes unknown tokens unchanged, `strict` refuses them (`undefined`). The empty token
 * passes as empty unless the map says otherwise.
 */
export class TokenMap {
  private readonly inbound = new Map<string, string>();
  private readonly outbound = new Map<string, string>();

  constructor(
    readonly type: MapType,
    map: KeywordMap = {},
  ) {
    if (type === 'none') return;
    for (const internal of Object.keys(map)) {
      const keywords = map[internal]!;
      if (keywords.length > 0) this.outbound.set(internal, keywords[0]!);
      for (const keyword of keywords) this.inbound.set(keyword, internal);
    }
  }

  /** The internal token for an MQTT token, or undefined when a strict map does not know it. */
  toInternal(token: string): string | undefined {
    return this.lookup(this.inbound, token);
  }

  /** The MQTT token for an internal token, or undefined when a strict map does not know it. */
  toMqtt(token: string): string | undefined {
    return this.lookup(this.outbound, token);
  }

  private lookup(map: Map<string, string>, token: string): string | undefined {
    if (this.type === 'none') return token;
    const found = map.get(token);
    if (found !== undefined) return found;
    if (this.type === 'loose' || token === '') return token;
    return undefined;
  }
}

/** A map that changes nothing (mapping off, or a characteristic left out of the map file). */
export const IDENTITY = new TokenMap('none');
