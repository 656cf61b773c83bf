#!/usr/bin/env node
// Writes the files generated from the profile schema: the JSON Schema and the reference page.
// Run after a build (`pnpm --filter @mg/interface-modbus generate`); tests fail when they are stale.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { profileJsonSchema, renderProfileReference } = require('../dist/profile/index.js');

const root = join(__dirname, '..');
writeFileSync(join(root, 'schema', 'profile.schema.json'), `${JSON.stringify(profileJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'docs', 'profile-reference.md'), renderProfileReference());
console.log('wrote schema/profile.schema.json and docs/profile-reference.md');
