import { z } from 'zod';
import { isSafeToken } from './topic.js';
import { MAP_TYPES } from './token-map.js';
import type { Characteristic } from './characteristics.js';

/** Characteristics that become topic levels: their MQTT keywords must be safe topic levels. */
const TOPIC_LEVELS = new Set<Characteristic>(['function', 'gateway', 'location', 'device', 'sender']);

function characteristicSchema(name: Characteristic) {
  return z
    .strictObject({
      maptype: z
        .enum(MAP_TYPES)
        .describe('none: tokens pass unchanged; loose: mapped when listed, unchanged otherwise; strict: mapped when listed, message rejected otherwise.'),
      map: z
        .record(
          z.string().describe('Internal keyword, as the interface sees it.'),
          z
            .array(z.string())
            .min(1, 'lists at least one MQTT keyword (the first is used when publishing)')
            .describe('MQTT keywords: the first is published, all are accepted.'),
        )
        .optional()
        .describe('Internal keyword -> [MQTT keyword, alias, ...].'),
    })
    .superRefine((value, ctx) => {
      if (value.maptype !== 'none' && value.map === undefined) {
        ctx.addIssue({ code: 'custom', path: ['map'], message: `is required when maptype is "${value.maptype}"` });
      }
      const owner = new Map<string, string>();
      for (const [internal, keywords] of Object.entries(value.map ?? {})) {
        keywords.forEach((keyword, index) => {
          const previous = owner.get(keyword);
          if (previous !== undefined && previous !== internal) {
            ctx.addIssue({
              code: 'custom',
              path: ['map', internal, index],
              message: `MQTT keyword "${keyword}" is also listed under "${previous}": it would be ambiguous`,
            });
          }
          owner.set(keyword, internal);
          if (TOPIC_LEVELS.has(name) && !isSafeToken(keyword)) {
            ctx.addIssue({
              code: 'custom',
              path: ['map', internal, index],
              message: `MQTT keyword "${keyword}" contains "/", "+", "#" or NUL and cannot be a topic level`,
            });
          }
        });
      }
    })
    .describe(`Vocabulary map of the "${name}" characteristic; left out means maptype none.`);
}

/** The map file format: the one schema the code validates with and the JSON Schema comes from. */
export const mapFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this file, for editors.'),
    description: z.string().optional().describe('Free text about this map.'),
    root: z
      .string()
      .refine((r) => r === '' || r.split('/').every((level) => level !== '' && isSafeToken(level)), {
        message: 'must be topic levels separated by "/", without empty levels, "+", "#" or NUL',
      })
      .describe('Topic root: the levels before function/gateway/location/device/sender/type (may be several, "home/ground").'),
    topics: z.array(z.string().min(1, 'is empty')).describe('Topics to subscribe to; MQTT wildcards "+" and "#" allowed.'),
    function: characteristicSchema('function').optional(),
    gateway: characteristicSchema('gateway').optional(),
    location: characteristicSchema('location').optional(),
    device: characteristicSchema('device').optional(),
    sender: characteristicSchema('sender').optional(),
    action: characteristicSchema('action').optional(),
    argkey: characteristicSchema('argkey').optional(),
    argvalue: characteristicSchema('argvalue').optional(),
  })
  .describe('An @mg map file: the topic root, the subscriptions and the vocabulary of each characteristic.');

export type MapFile = z.infer<typeof mapFileSchema>;

/** The JSON Schema of map files, generated from `mapFileSchema` (shipped as `schema/map.schema.json`). */
export function mapJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(mapFileSchema, { target: 'draft-7', io: 'input' }),
    $id: 'https://github.com/mg-gateway/mg/blob/main/packages/core/schema/map.schema.json',
    title: '@mg map file',
  };
}
