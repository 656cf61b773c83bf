import { z } from 'zod';
import { profileSchema } from './schema.js';

const PROFILE_SCHEMA_ID = 'https://github.com/mg-gateway/mg/blob/main/packages/interface-modbus/schema/profile.schema.json';

/**
 * What a profile's author needs to know about capability keys that @mg/core's schema leaves
 * without a description: editors show these as hints, and the reference prints them. Filled in
 * only where core gives none, so that a description core adds takes over.
 */
const CAPABILITY_NOTES: Readonly<Record<string, string>> = {
  kind: 'binary (on/off: a coil, a bool), number, enum (one of options: a select), text (a string), or trigger (a command without a value: a button).',
  min: "Smallest value of a number; within its point's write.min.",
  max: "Largest value of a number; within its point's write.max.",
  step: 'Increment of a number (0.5 for half degrees).',
};

type Node = Record<string, unknown>;

function withCapabilityNotes(schema: Node): Node {
  const items = ((schema.properties as Node | undefined)?.capabilities as Node | undefined)?.items as Node | undefined;
  const properties = items?.properties as Record<string, Node> | undefined;
  for (const [key, description] of Object.entries(CAPABILITY_NOTES))
    if (properties?.[key] && properties[key].description === undefined) properties[key] = { description, ...properties[key] };
  return schema;
}

/** The JSON Schema of register profiles, generated from `profileSchema` (shipped as `schema/profile.schema.json`). */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    ...withCapabilityNotes(z.toJSONSchema(profileSchema, { target: 'draft-7', io: 'input' })),
    $id: PROFILE_SCHEMA_ID,
    title: '@mg/interface-modbus register profile',
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
