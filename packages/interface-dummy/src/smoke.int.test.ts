import { join } from 'node:path';
import { freePort, spawnNode } from '@mg/test-helpers';

// The smoke test users run to prove an installation, run here as they would run it.
const SMOKE = join(__dirname, '..', 'dist', 'smoke.js');

async function smoke(env: Record<string, string>) {
  const p = spawnNode(SMOKE, [], { env: { ...process.env, ...env } });
  return { code: await p.exit, out: p.output() };
}

it.each([
  ['the shared broker', {}],
  ['no broker at all (the embedded one)', { MG_SMOKE_BROKER: 'mqtt://127.0.0.1:PORT' }],
])(
  'passes every check against %s',
  async (_name, env: Record<string, string>) => {
    const resolved = Object.fromEntries(await Promise.all(Object.entries(env).map(async ([k, v]) => [k, v.replace('PORT', String(await freePort()))])));
    const { code, out } = await smoke(resolved);
    expect(out).toContain('smoke: all checks passed');
    expect(out.match(/^ {2}ok {4}/gm)).toHaveLength(6);
    expect(code).toBe(0);
  },
  60_000,
);
