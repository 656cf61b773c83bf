#!/usr/bin/env node
// npm create mg-interface <name>      -> ./<name>2mqtt
// pnpm create-interface <name>         -> packages/interface-<name> (inside the @mg workspace)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './generate.js';
import { NameError } from './names.js';

const args = process.argv.slice(2);
const workspace = args.includes('--workspace');
const name = args.find((a) => !a.startsWith('--'));
if (!name) {
  console.error('usage: create-mg-interface <name>   (lower-case, e.g. "intercom")');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
try {
  const parentDir = workspace ? join(process.cwd(), 'packages') : process.cwd();
  const dir = generate(name, { parentDir, workspace, coreRange: `^${version}` });
  console.log(`created ${dir}`);
  console.log(workspace ? 'next: pnpm install && pnpm --filter ./' + join('packages', `interface-${name}`) + ' test' : `next: cd ${name}2mqtt && npm install && npm run build && npm test`);
} catch (err) {
  if (err instanceof NameError) {
    console.error(`create-mg-interface: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
