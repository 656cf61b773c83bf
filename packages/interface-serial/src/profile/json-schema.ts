import { z } from 'zod';
import { profileSchema } from './schema.js';

export const PROFILE_SCHEMA_ID = 'https://github.com/mg-gateway/mg/blob/main/packages/interface-serial/schema/profile.schema.json';

/** The JSON Schema of profiles, generated from `profileSchema` (shipped as `schema/profile.schema.json`). */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(profileSchema, { target: 'draft-7', io: 'input' }),
    $id: PROFILE_SCHEMA_ID,
    title: '@mg/interface-serial device profile',
  };
}

/** Every key the format knows, at any depth: what a misspelt key is compared with. */
export function profileKeys(): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const properties = record.properties;
    if (properties && typeof properties === 'object') for (const key of Object.keys(properties)) keys.add(key);
    for (const value of Object.values(record)) walk(value);
  };
  walk(profileJsonSchema());
  return [...keys].sort();
}
