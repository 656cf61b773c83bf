#!/usr/bin/env node
// npm create mg-interface <name>      -> ./<name>2mqtt
// pnpm create-interface <name>         -> packages/interface-<name> (inside the @mg workspace)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { NameError } from './names.js';

const usage = 'usage: create-mg-interface <name> [--mode event|polling]   (name in lower case, e.g. "intercom"; event by default)';
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    options: { workspace: { type: 'boolean' }, mode: { type: 'string', default: 'event' } },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (err) {
  console.error(`create-mg-interface: ${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const workspace = parsed.values.workspace === true;
const mode = parsed.values.mode;
const name = parsed.positionals[0];
if (!name || (mode !== 'event' && mode !== 'polling')) {
  console.error(usage);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
try {
  const parentDir = workspace ? join(process.cwd(), 'packages') : process.cwd();
  const dir = generate(name, { parentDir, workspace, coreRange: `^${version}`, mode });
  console.log(`created ${dir}`);
  console.log(
    workspace
      ? 'next: pnpm install && pnpm --filter ./' + join('packages', `interface-${name}`) + ' test'
      : `next: cd ${name}2mqtt && npm install && npm run build && npm test`,
  );
} catch (err) {
  if (err instanceof NameError) {
    console.error(`create-mg-interface: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
