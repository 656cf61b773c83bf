import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '@mg/core';
import { web } from './extension.js';
import { AvInterface } from './test-support/av-interface.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'web-check-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `av2mqtt [--check] -c <file>` in this process: its exit code and what it printed. */
async function run(conf: string, check = true): Promise<{ code: number; output: string }> {
  const file = join(dir, 'av2mqtt.conf');
  writeFileSync(file, conf);
  let output = '';
  const capture = (chunk: string | Uint8Array) => ((output += chunk.toString()), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const handle = await startGateway(AvInterface, { appName: 'av2mqtt', argv: [...(check ? ['--check'] : []), '-c', file], env: {}, extensions: [web] });
    return { code: await handle.done, output };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('--check with the [WEB] section', () => {
  it('accepts the defaults turned on (loopback, no token), and hides a token', async () => {
    expect(await run('[WEB]\nenabled: on\n')).toMatchObject({ code: 0 });
    const r = await run('[WEB]\nenabled: on\nhost: 0.0.0.0\ntoken: Zq-77-secret\n');
    expect(r.code).toBe(0);
    expect(r.output).toContain('[WEB] token = ********');
    expect(r.output).not.toContain('Zq-77-secret');
  });

  it('refuses a host others can reach without a token, naming [WEB] host, at --check and at start', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      const r = await run(`[WEB]\nenabled: on\nhost: ${host}\n`);
      expect(r.code).toBe(1);
      expect(r.output).toContain(`[WEB] host = "${host}" lets other machines reach the page`);
      expect(r.output).toContain('tokenfile');
    }
    const start = await run('[WEB]\nenabled: on\nhost: 0.0.0.0\n', false);
    expect(start.code).toBe(1);
    expect(start.output).toContain('[WEB] host = "0.0.0.0"');
  });

  it('leaves the rule alone while [WEB] is off', async () => {
    expect(await run('[WEB]\nhost: 0.0.0.0\n')).toMatchObject({ code: 0 });
  });

  it('reads the token from tokenfile, next to the configuration file, and refuses one that is missing or empty', async () => {
    writeFileSync(join(dir, 'web.token'), 'Zq-88-secret\n');
    const ok = await run('[WEB]\nenabled: on\nhost: 0.0.0.0\ntokenfile: web.token\n');
    expect(ok.code).toBe(0);
    expect(ok.output).not.toContain('Zq-88-secret');
    const missing = await run('[WEB]\nenabled: on\ntokenfile: nothing.token\n');
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/\[WEB\] tokenfile: .*nothing\.token cannot be read \(ENOENT\)/);
    writeFileSync(join(dir, 'empty.token'), '\n');
    const empty = await run('[WEB]\nenabled: on\ntokenfile: empty.token\n');
    expect(empty.code).toBe(1);
    expect(empty.output).toMatch(/\[WEB\] tokenfile: the first line of .*empty\.token is empty/);
  });

  it.each([
    ['port: 70000', /\[WEB\] port = "70000": expected an integer from 0 to 65535/],
    ['host: http://0.0.0.0', /\[WEB\] host = "http:\/\/0\.0\.0\.0": expected an IP address or a host name/],
    ['enabled: maybe', /\[WEB\] enabled = "maybe": expected on\/off/],
  ])('refuses %s with the file, the line and what was expected', async (line, message) => {
    const r = await run(`[WEB]\n${line}\n`);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/av2mqtt\.conf/);
    expect(r.output).toMatch(message);
  });
});
