#!/usr/bin/env node
// Writes the files generated from the schemas: the map file and device JSON Schemas, and default.conf.
// Run after a build (`pnpm --filter @mg/core generate`); a test fails when they are stale.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { devicesJsonSchema, mapJsonSchema, renderGatewayDefaults } = require('../dist/internal.js');

const root = join(__dirname, '..');
writeFileSync(join(root, 'schema', 'map.schema.json'), `${JSON.stringify(mapJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'schema', 'devices.schema.json'), `${JSON.stringify(devicesJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'default.conf'), renderGatewayDefaults());
console.log('wrote schema/map.schema.json, schema/devices.schema.json and default.conf');
