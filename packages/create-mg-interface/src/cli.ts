#!/usr/bin/env node
// npm create mg-interface <name>             -> ./<name>2mqtt, an interface in TypeScript
// npm create mg-interface <name> --profile   -> ./<name>2mqtt, a serial2mqtt profile and its configuration (no code)
// pnpm create-interface <name>                -> packages/interface-<name> (inside the @mg workspace)
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { NameError, namesFor } from './names.js';
import { summary } from './summary.js';

const usage = `usage: create-mg-interface <name> [--mode event|polling] [--profile]
  <name>      the device's name in lower case ("pool"), or the application's ("pool2mqtt"): both make pool2mqtt
  --mode      event (default): a device on a line transport, in TypeScript; polling: loop() in turns
  --profile   no code: a serial2mqtt profile (JSON) and its configuration, for a line-protocol device
              (Modbus profiles, for modbus2mqtt, are not generated yet)`;
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    args: process.argv.slice(2),
    options: { workspace: { type: 'boolean' }, mode: { type: 'string', default: 'event' }, profile: { type: 'boolean' } },
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
const profile = parsed.values.profile === true;
const mode = parsed.values.mode;
const name = parsed.positionals[0];
if (!name || parsed.positionals.length > 1 || (mode !== 'event' && mode !== 'polling')) {
  console.error(usage);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
try {
  const parentDir = workspace ? join(process.cwd(), 'packages') : process.cwd();
  const dir = generate(name, { parentDir, workspace, coreRange: `^${version}`, mode, profile });
  console.log(summary(namesFor(name), { dir: relative(process.cwd(), dir) || '.', typed: name, profile, workspace }));
} catch (err) {
  if (err instanceof NameError) {
    console.error(`create-mg-interface: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
