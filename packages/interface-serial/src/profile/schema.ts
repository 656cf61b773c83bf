import { capabilitySchema } from '@mg/core/devices';
import { z } from 'zod';
import { answersSchema } from './answers-schema.js';
import { checkCommand, checkCommandArgument, checkPollQuery, checkTemplate } from './checks.js';
import { checkCapabilityBindings } from './capability-checks.js';
import { checkDeviceTexts } from './device-text.js';
import { ENCODINGS } from './encodings.js';
import { actionName, argumentName, description, deviceLine, pattern } from './schema-parts.js';
import { statusSchema } from './status-schema.js';

const tokenMap = z
  .record(z.string(), z.string())
  .optional()
  .describe('Value -> device token: what is sent instead of the formatted value ({"CD": "CD", "Blu-ray": "BD"}). Values not listed are formatted as usual.');
const min = z.number().optional().describe('Smallest value accepted.');
const max = z.number().optional().describe('Largest value accepted.');
const pad = z.int().min(1).max(20).optional().describe('Digits of the whole part, zero-padded in front: 2 writes 5 as "05" and 45 as "45".');

const numberArgument = z
  .strictObject({
    type: z.literal('number').describe('A number: a JSON number, or a string that reads as one ("45.5").'),
    description,
    min,
    max,
    step: z.number().positive().optional().describe('Accepted values are min (or 0) plus a whole number of steps: 0.5 accepts 45 and 45.5, refuses 45.3.'),
    pad,
    decimalSeparator: z
      .string()
      .default('.')
      .describe('Written between the whole part and the fraction, only when there is a fraction: "" writes 45.5 as "455" and 45 as "45" (Denon half steps).'),
    map: tokenMap,
  })
  .superRefine(checkCommandArgument);

const integerArgument = z
  .strictObject({
    type: z.literal('integer').describe('A whole number: a JSON number, or a string that reads as one ("12").'),
    description,
    min,
    max,
    step: z.int().positive().optional().describe('Accepted values are min (or 0) plus a whole number of steps.'),
    pad,
    map: tokenMap,
  })
  .superRefine(checkCommandArgument);

const stringArgument = z
  .strictObject({
    type: z.literal('string').describe('Text, sent as it is: printable characters only, never a line terminator.'),
    description,
    pattern: pattern('What the text must look like.').optional(),
    maxLength: z.int().min(1).max(4096).default(64).describe('Longest text accepted, in characters.'),
    map: tokenMap,
  })
  .superRefine(checkCommandArgument);

const enumArgument = z
  .strictObject({
    type: z.literal('enum').describe('One of a list of values (matched ignoring case).'),
    description,
    values: z.array(z.string().min(1, 'is empty')).min(1, 'lists no value').describe('The accepted values, as MQTT senders write them.'),
    map: tokenMap,
  })
  .superRefine(checkCommandArgument);

const commandArgument = z
  .discriminatedUnion('type', [numberArgument, integerArgument, stringArgument, enumArgument], {
    error: (issue) => (issue.code === 'invalid_union' ? 'type must be "number", "integer", "string" or "enum"' : undefined),
  })
  .describe('An argument of the command: what values it accepts and how they are written in the line.');

const command = z
  .strictObject({
    send: z
      .string()
      .min(1, 'is empty')
      .superRefine(checkTemplate)
      .describe('The line sent, without its terminator: literal text with {name} where an argument\'s value goes ("MV{level}"); {{ and }} are literal braces.'),
    description,
    arguments: z
      .record(argumentName, commandArgument)
      .optional()
      .describe('The arguments the template uses, by name; each one the template uses must be declared here, and each one declared must be used.'),
    confirm: pattern(
      'A device line that confirms the command ("MV\\\\d\\\\d5?"). Default: any line that one of the statuses recognises, within the interface\'s reply timeout. A line that answers.busy or answers.refused matches is never a confirmation.',
    ).optional(),
    answers: answersSchema.optional(),
    then: z
      .array(deviceLine)
      .optional()
      .describe(
        'Lines sent once the device confirmed this command, to learn the state it changed (["STATUS?"]); their answers are device lines like any other. Instead of queries.afterCommand ([] for none).',
      ),
  })
  .superRefine(checkCommand)
  .describe('How to send one internal action to the device.');

const framing = z
  .strictObject({
    terminator: z
      .union([z.string().min(1, 'is empty'), z.array(z.string().min(1, 'is empty')).min(1, 'lists no terminator')], {
        error: 'must be a string or a list of strings',
      })
      .default('\r')
      .describe('What ends a line the device sends ("\\r"); a list when several do (["\\r\\n", "\\r"]: the longer wins).'),
    sendTerminator: z.string().optional().describe('Appended to every line sent. Default: the terminator (the first of a list).'),
    encoding: z
      .enum(ENCODINGS)
      .default('latin1')
      .describe('How bytes become text, both ways. latin1 (one byte, one character) never fails; ascii and utf8 refuse commands they cannot encode.'),
    maxLineBytes: z
      .int()
      .min(1)
      .max(65536)
      .default(1024)
      .describe('Longest device line kept, in bytes, terminator excluded; a longer one is dropped (and reported), so garbage never fills the memory.'),
  })
  .prefault({})
  .describe('How lines are cut and encoded.');

const pollQuery = z
  .strictObject({
    seconds: z.number().min(0.1).max(86_400).describe('Seconds between two polls of these lines.'),
    jitter: z
      .number()
      .min(0)
      .optional()
      .describe(
        'Up to this many seconds added at random to each interval (less than seconds), so that items polled at the same rate spread out instead of asking together.',
      ),
    send: z.array(deviceLine).min(1, 'lists no line').describe('Lines sent at each poll, in order.'),
    description,
  })
  .superRefine(checkPollQuery)
  .describe('Lines polled at their own interval while the device is connected, and at once on a poll on demand.');

const queries = z
  .strictObject({
    atStart: z
      .array(deviceLine)
      .default([])
      .describe('Lines sent on every connection, at start and each time the device comes back, so the state is known at once ("PW?").'),
    afterCommand: z
      .array(deviceLine)
      .default([])
      .describe(
        'Lines sent after every command the device confirmed (["STATUS?"]), unless the command has its own then; each answer is awaited (up to the reply timeout) before the next command is sent, so that it is not taken for its confirmation.',
      ),
    every: z
      .strictObject({
        seconds: z.number().min(1).max(86_400).describe('Seconds between two rounds.'),
        send: z.array(deviceLine).min(1, 'lists no line').describe('Lines sent each round.'),
      })
      .optional()
      .describe(
        'Lines sent periodically while connected, for devices that do not report changes by themselves (one interval for all; poll gives each its own).',
      ),
    poll: z
      .array(pollQuery)
      .default([])
      .describe(
        'Periodic queries, each at its own interval ([{ "seconds": 5, "send": ["MV?"] }, { "seconds": 300, "send": ["PW?"] }]): polled one at a time on the port, paused while the device is away, backed off while it fails.',
      ),
  })
  .prefault({})
  .describe("Lines sent to learn the device's state; sent as they are (no template), their answers parsed like any device line.");

/** The profile format: the one schema the loader validates with and the JSON Schema comes from. */
export const profileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this file, for editors.'),
    name: z.string().min(1, 'is empty').describe('Short name of the profile ("denon-avr").'),
    description: z.string().describe('What devices the profile is for, and anything a user should know.'),
    maker: z.string().optional().describe('Who makes the devices.'),
    models: z.array(z.string()).optional().describe('Models known to work.'),
    framing,
    spacingMs: z
      .int()
      .min(0)
      .max(60_000)
      .default(0)
      .describe('Least time between two lines sent, in ms: many devices drop a command that comes too soon after another.'),
    commands: z
      .record(actionName, command)
      .default({})
      .describe('Internal action (UPPER_CASE) -> how to send it. A command for an action not listed is answered with an error.'),
    answers: answersSchema.optional(),
    statuses: z
      .array(statusSchema)
      .default([])
      .describe(
        'What device lines mean, in order: the first status whose pattern matches the line (and whose arguments read) wins; lines none matches are unknown.',
      ),
    queries,
    // @mg/core's own capability schema, rules between keys included (an enum needs options, a
    // trigger is write-only...): a profile is refused at load, with its JSON path, for what the
    // gateway would refuse at start. What names the profile's commands and statuses is checked
    // below (checkCapabilityBindings), since only the profile knows them.
    capabilities: z
      .array(capabilitySchema)
      .optional()
      .describe(
        'What the device can do, for the conventions a gateway runs (Home Assistant discovery, Homie): each capability becomes an entity whose writes are the commands named here and whose state is read from the statuses named here. Without it the gateway declares no device.',
      ),
  })
  .superRefine(checkDeviceTexts, { when: () => true })
  .superRefine(checkCapabilityBindings, { when: () => true })
  .describe('An @mg/interface-serial device profile: how a line-protocol device talks.');

/** A profile as written in its JSON file. */
export type ProfileInput = z.input<typeof profileSchema>;
/** A validated profile, defaults filled in. */
export type Profile = z.output<typeof profileSchema>;
type CommandDefinition = Profile['commands'][string];
export type CommandArgumentDefinition = NonNullable<CommandDefinition['arguments']>[string];
type StatusDefinition = Profile['statuses'][number];
export type AnswersDefinition = NonNullable<Profile['answers']>;
export type StatusArgumentDefinition = NonNullable<StatusDefinition['arguments']>[string];
