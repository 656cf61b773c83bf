import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { homeAssistant } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ha-check-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `av2mqtt --check -c <file>` in this process: its exit code and what it printed. */
async function check(conf: string): Promise<{ code: number; output: string }> {
  const file = join(dir, 'av2mqtt.conf');
  writeFileSync(file, conf);
  let output = '';
  const capture = (chunk: string | Uint8Array) => ((output += chunk.toString()), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const handle = await startGateway(AvInterface, { appName: 'av2mqtt', argv: ['--check', '-c', file], env: {}, extensions: [homeAssistant] });
    return { code: await handle.done, output };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('--check with the Home Assistant section', () => {
  it('accepts a valid section', async () => {
    const r = await check('[HOMEASSISTANT]\ndiscovery: on\nform: entity\nprefix: ha\nbirthdelay: 2\n');
    expect(r).toMatchObject({ code: 0 });
  });

  it('refuses a bad value with the file, the line and what was expected', async () => {
    const r = await check('[HOMEASSISTANT]\ndiscovery: on\nform: flat\n');
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/av2mqtt\.conf.*3.*\[HOMEASSISTANT\] form = "flat": expected one of device, entity/s);
  });

  it('refuses a wildcard in the base topic before anything runs', async () => {
    const r = await check('[HOMEASSISTANT]\ndiscovery: on\nbasetopic: {root}/#\n');
    expect(r.code).toBe(1);
    expect(r.output).toContain('[HOMEASSISTANT] basetopic');
  });

  it('warns about an unknown option with the closest known name (exit code 2)', async () => {
    const r = await check('[HOMEASSISTANT]\ndiscovery: on\nprefx: ha\n');
    expect(r.code).toBe(2);
    expect(r.output).toContain('unknown option "prefx" in [HOMEASSISTANT]; did you mean "prefix"?');
  });
});
