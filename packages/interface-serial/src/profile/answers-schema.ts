/**
 * What a device answers to a command besides its confirmation: a refusal (with its words) and
 * "busy, try later". Profile-wide (`answers`) and per command (`commands.<ACTION>.answers`, key
 * by key over the profile's).
 */
import { z } from 'zod';
import { pattern } from './schema-parts.js';

export const DEFAULT_BUSY_RETRIES = 2;
export const DEFAULT_BUSY_DELAY_MS = 500;

export const answersSchema = z
  .strictObject({
    refused: pattern(
      'A device line that refuses the command ("ERR (?<reason>.*)"): the command is answered ERROR at once with the device\'s words: the group named reason, else group 1, else the whole line.',
    ).optional(),
    busy: pattern(
      'A device line that means "busy, try later" ("ERR BUSY"): the command is sent again after busyDelayMs, busyRetries times at most, then answered ERROR. Tried before refused, so "ERR BUSY" is busy even when refused is "ERR (?<reason>.*)".',
    ).optional(),
    busyRetries: z.int().min(0).max(10).optional().describe(`How many times a command answered busy is sent again (default ${DEFAULT_BUSY_RETRIES}).`),
    busyDelayMs: z.int().min(0).max(60_000).optional().describe(`Milliseconds between a busy answer and the next attempt (default ${DEFAULT_BUSY_DELAY_MS}).`),
  })
  .describe(
    "How the device refuses a command, or says it is busy. Profile-wide under answers; a command's own answers override it key by key. A line that confirms a command is never one of these.",
  );
