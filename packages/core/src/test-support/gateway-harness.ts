import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startGateway, type GatewayHandle, type InterfaceClass } from '../index.js';
import { DUMMY_MAP_PATH } from './fixtures.js';

export interface Harness {
  handle: GatewayHandle;
  dir: string;
  /** Everything the gateway wrote on stdout so far (the console log, at DEBUG). */
  log(): string;
  /** Everything it wrote on stderr (WARN and above). */
  errors(): string;
  stop(): Promise<void>;
}

/** Lines of an `[MQTT]` section for a broker URL, with the dummy map unless told otherwise. */
export function mqttLines(url: string, extra: Record<string, string | number> = {}): string[] {
  const { hostname, port } = new URL(url);
  const options: Record<string, string | number> = {
    host: hostname,
    port,
    mapping: 'on',
    mapfilename: DUMMY_MAP_PATH,
    reconnectmin: 0.2,
    reconnectmax: 1,
    ...extra,
  };
  return ['[MQTT]', ...Object.entries(options).map(([k, v]) => `${k}: ${v}`)];
}

/** Runs a gateway in this process with a configuration file written from `lines`. */
export async function runGateway(
  Interface: InterfaceClass,
  lines: string[],
  options: { appName?: string; argv?: string[]; env?: Record<string, string> } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-gw-'));
  const appName = options.appName ?? 'dummy2mqtt';
  const conf = join(dir, `${appName}.conf`);
  writeFileSync(conf, `${['[LOG]', 'consolelevel: DEBUG', ...lines].join('\n')}\n`);
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let errText = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  err.on('data', (d: Buffer) => (errText += d.toString()));
  const handle = await startGateway(Interface, {
    appName,
    version: '9.9.9',
    argv: options.argv ?? ['-c', conf],
    env: options.env ?? {},
    cwd: dir,
    launcherDir: dir,
    stdout: out,
    stderr: err,
    handleProcess: false,
    random: () => 0.5,
  });
  return {
    handle,
    dir,
    log: () => text,
    errors: () => errText,
    stop: async () => {
      await handle.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
