import { HomieDevice } from 'node-homie';
import { HomieDeviceMode } from 'node-homie/model';
import { validateHomieValue } from 'node-homie/util';

// The JSON Schema node-homie@5 ships (draft 7), as published in its package: the check is
// theirs, not ours.
const SCHEMA = require('node-homie/DeviceDescription.Schema.json') as object;

/**
 * node-homie's own validator (the `jsonschema` instance a HomieDevice checks received
 * descriptions with), reached through a subclass: node-homie keeps it protected. No
 * connection is opened: a HomieDevice connects in onInit() only.
 */
class SchemaCheck extends HomieDevice {
  errors(description: unknown): string[] {
    return this.validator.validate(description, SCHEMA, { nestedErrors: true }).errors.map((e) => e.toString());
  }
}

let check: SchemaCheck | undefined;

/** What node-homie's schema finds wrong with a `$description` (empty when valid). */
export function homieSchemaErrors(description: unknown): string[] {
  check ??= new SchemaCheck({ id: 'schema-check' }, { url: 'mqtt://127.0.0.1:1' }, HomieDeviceMode.Controller);
  return check.errors(description);
}

/** node-homie's check of a property value against its datatype and format. */
export function homieValueValid(payload: string, datatype: string, format?: string): boolean {
  return validateHomieValue(payload, datatype as Parameters<typeof validateHomieValue>[1], format);
}
