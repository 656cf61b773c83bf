import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createAppProperties, logSection } from '@mg/app-properties';
import { defineConfig, loadConfig } from '@mg/config';
import { createGateway, type Gateway, type GatewayCounters, type InterfaceClass } from '../index.js';
import type { GatewayExtension } from '../extensions.js';
import { DUMMY_MAP_PATH } from './fixtures.js';

export interface Harness {
  /** The gateway, and its counters (read afresh at each access). */
  handle: { gateway: Gateway; readonly counters: GatewayCounters };
  dir: string;
  /** Everything the gateway wrote on stdout so far (the console log, at DEBUG). */
  log(): string;
  /** Everything it wrote on stderr (WARN and above). */
  errors(): string;
  /** What the broker granted (the `subscribed` events), each with the broker it came from, in order. */
  readonly subscriptions: readonly { url: string; filters: string[] }[];
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

/** Runs a gateway in this process (the library call) from a configuration file written from `lines`. */
export async function runGateway(
  Interface: InterfaceClass,
  lines: string[],
  options: { appName?: string; extensions?: readonly GatewayExtension[] } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-gw-'));
  const appName = options.appName ?? 'dummy2mqtt';
  const conf = join(dir, `${appName}.conf`);
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  let errText = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  err.on('data', (d: Buffer) => (errText += d.toString()));
  const settings = loadConfig(defineConfig({ LOG: logSection })).values.LOG;
  const logging = createAppProperties({ name: appName }).startLogging({ ...settings, consolelevel: 'debug' }, conf, { stdout: out, stderr: err });
  const gateway = createGateway(Interface, { appName, version: '9.9.9', configFile: conf, cwd: dir, logging, extensions: options.extensions });
  const subscriptions: { url: string; filters: string[] }[] = [];
  let url = '';
  gateway.on('connected', (c) => (url = c.url));
  gateway.on('subscribed', ({ filters }) => subscriptions.push({ url, filters }));
  await gateway.start();
  return {
    handle: {
      gateway,
      get counters() {
        return gateway.counters;
      },
    },
    dir,
    log: () => text,
    errors: () => errText,
    subscriptions,
    stop: async () => {
      await gateway.stop();
      await logging.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
