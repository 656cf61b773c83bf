/** `statuses[]`: what a device line means, as one status message or several (`emit`). */
import { z } from 'zod';
import { checkEmit, checkStatus, checkStatusArgument } from './checks.js';
import { actionName, argumentName, description, pattern, scalar } from './schema-parts.js';

const statusArgument = z
  .strictObject({
    group: z
      .union([z.int().min(1), z.string().regex(/^[A-Za-z_$][\w$]*$/)], { error: 'must be a capture group number (1, 2...) or name' })
      .optional()
      .describe(
        'The capture group that holds the value: its number (1 is the first "(") or its name ((?<level>...)). A group that did not take part in the match leaves the argument out.',
      ),
    value: scalar.optional().describe('A constant value instead of a group ("on" for a line that only ever means on).'),
    type: z
      .enum(['number', 'integer', 'string'])
      .optional()
      .describe('How the group\'s text is read; default "string". A number or integer that does not read as one makes the line not match this status.'),
    scale: z
      .number()
      .optional()
      .describe(
        'Multiplies a number or integer: 0.1 reads "455" as 45.5. The result is rounded to 12 significant digits, so that 455 x 0.1 is 45.5, not 45.50000000000001.',
      ),
    map: z
      .record(z.string(), scalar)
      .optional()
      .describe('Device token -> value ({"ON": "on", "STANDBY": "off"}); a token not listed makes the line not match this status.'),
    description,
  })
  .superRefine(checkStatusArgument)
  .describe('One argument of the status message: exactly one of group or value.');

const statusArguments = z.record(argumentName, statusArgument).optional().describe('The arguments of the status message, by name.');

const emitted = z
  .strictObject({
    action: actionName.describe('The internal action of this status message (TEMPERATURE).'),
    arguments: statusArguments,
    description,
  })
  .describe("One of the status messages a line becomes: its action, and its arguments read from the line's groups as a status's are.");

export const statusSchema = z
  .strictObject({
    match: pattern('The device lines this status stands for.'),
    action: actionName.optional().describe('The internal action of the status message (VOLUME). Required unless emit is given.'),
    arguments: statusArguments,
    emit: z
      .array(emitted)
      .min(1, 'lists no status')
      .superRefine(checkEmit)
      .optional()
      .describe(
        'Instead of action and arguments: the status messages one line becomes, in order ("STATUS PUMP=ON TEMP=27.5" -> PUMP and TEMPERATURE). Each argument of each reads the groups of match; if one does not read, the line does not match this status.',
      ),
    description,
  })
  .superRefine(checkStatus)
  .describe('A kind of device line, and the status message (or messages: emit) it becomes.');
