/** The pieces of the profile schema that several parts share (names, patterns, free text). */
import { z } from 'zod';
import { checkPattern } from './checks.js';
import { ARGUMENT_NAME } from './template.js';

/** Internal actions are UPPER_CASE, like the rest of @mg's internal vocabulary (VOL_SET, MUTE_ON). */
const ACTION_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Keys of the JSON payload itself: an argument with one of these names would collide. */
const RESERVED_ARGUMENTS: readonly string[] = ['action', 'correlation'];

export const actionName = z.string().regex(ACTION_NAME, 'must be UPPER_CASE: capital letters, digits and "_", starting with a letter (VOL_SET)');
export const argumentName = z
  .string()
  .regex(ARGUMENT_NAME, 'must start with a lower-case letter, then letters, digits or "_" (level, source)')
  .refine((name) => !RESERVED_ARGUMENTS.includes(name), 'is reserved: "action" and "correlation" are keys of the MQTT payload itself');
export const description = z.string().optional().describe('Free text for people reading the profile.');
export const pattern = (what: string) =>
  z
    .string()
    .min(1, 'is empty')
    .superRefine(checkPattern)
    .describe(
      `${what} A JavaScript regular expression (in JSON, write each backslash twice: "MV(\\\\d\\\\d)"); it must match the whole line, as if between ^ and $.`,
    );
export const deviceLine = z.string().min(1, 'is empty');
export const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, a number or true/false' });
