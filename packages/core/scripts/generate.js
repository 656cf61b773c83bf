#!/usr/bin/env node
// Writes the files generated from the schemas: the map file JSON Schema and default.conf.
// Run after a build (`pnpm --filter @mg/core generate`); a test fails when they are stale.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { mapJsonSchema, renderGatewayDefaults } = require('../dist/internal.js');

const root = join(__dirname, '..');
writeFileSync(join(root, 'schema', 'map.schema.json'), `${JSON.stringify(mapJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'default.conf'), renderGatewayDefaults());
console.log('wrote schema/map.schema.json and default.conf');
