import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { homie } from './extension.js';
import { Lamps } from './test-support/lamps.js';

// `--check` as a user runs it: the program reads the file, validates [HOMIE] with the other
// sections, prints its report and sets the exit code (given back to jest afterwards).
let dir: string;
let out: string;
let exitCode: typeof process.exitCode;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mg-homie-check-'));
  out = '';
  exitCode = process.exitCode;
  const capture = (chunk: string | Uint8Array) => ((out += String(chunk)), true);
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = exitCode;
  rmSync(dir, { recursive: true, force: true });
});

async function check(homieLines: string[]): Promise<number> {
  const conf = join(dir, 'lamps.conf');
  writeFileSync(conf, ['[INTERFACE]', 'count: 2', '', '[HOMIE]', ...homieLines, ''].join('\n'));
  const handle = await startGateway(Lamps, { appName: 'lamps', argv: ['--check', '-c', conf], env: {}, extensions: [homie] });
  return handle.done;
}

describe('--check with [HOMIE]', () => {
  it('accepts a valid section and lists the convention and the devices', async () => {
    expect(await check(['enabled: on', 'prefix: homie', 'deviceid: upstairs'])).toBe(0);
    expect(out).toContain('devices: hall (power, level, temperature, mode, label, beep, nudge); porch- (');
    expect(out).toContain('conventions: [HOMIE]');
    expect(out).toContain('[HOMIE] deviceid = "upstairs"');
  });

  it('names the file, line and option of a bad value', async () => {
    expect(await check(['enabled: on', 'prefix: home/homie'])).toBe(1);
    expect(out).toContain(`${join(dir, 'lamps.conf')}:6: [HOMIE] prefix = "home/homie": must be one topic level: no "/", "+", "#"`);
  });

  it('warns about an unknown option with the closest known name', async () => {
    expect(await check(['enabled: on', 'devicid: x'])).toBe(2);
    expect(out).toContain(`warning: ${join(dir, 'lamps.conf')}:6: unknown option "devicid" in [HOMIE]; did you mean "deviceid"? it is ignored`);
  });
});
