import { readFileSync } from 'node:fs';
import type { InterfaceOptions } from '@mg/core';
import type { ExtensionFiles, GatewayExtension } from '@mg/core/extensions';
import { isLoopback } from './access.js';
import { WebError } from './errors.js';
import { webOptions, type WebOptionShape } from './options.js';
import { PUBLIC_DIR } from './static-files.js';
import { WebServer, type WebTuning } from './server.js';

type WebOptions = InterfaceOptions<WebOptionShape>;

/** The token of the options: the first line of `tokenfile` when one is named, else `token`. */
function tokenOf(o: Pick<WebOptions, 'token' | 'tokenfile'>, files: ExtensionFiles): string {
  const file = o.tokenfile.trim();
  if (file === '') return o.token.trim();
  const path = files.filePath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new WebError('WEB_TOKEN_FILE', `[WEB] tokenfile: ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      cause: err,
    });
  }
  const token = (text.split(/\r?\n/)[0] ?? '').trim();
  if (token === '') throw new WebError('WEB_TOKEN_FILE', `[WEB] tokenfile: the first line of ${path} is empty; put the token there`);
  return token;
}

/**
 * The rule between the options: a host others can reach needs a token, since the page writes to
 * the devices. Checked at `--check` (the core calls `check`) and again at start.
 */
function checkOptions(o: WebOptions, files: ExtensionFiles): string {
  if (!o.enabled) return '';
  const token = tokenOf(o, files);
  if (token === '' && !isLoopback(o.host))
    throw new WebError(
      'WEB_TOKEN_REQUIRED',
      `[WEB] host = "${o.host.trim()}" lets other machines reach the page, which can write to the devices: set [WEB] tokenfile (or token), or use host 127.0.0.1`,
    );
  return token;
}

/** The web extension, for a launcher's `extensions` list; `tuning` is for tests. It is off unless `[WEB] enabled` is on. */
export function webExtension(tuning: WebTuning = {}): GatewayExtension<WebOptionShape> {
  return {
    section: 'WEB',
    options: webOptions,
    description: 'A status page, health checks, Prometheus metrics and a JSON API served by the gateway itself (off by default).',
    check(options, files) {
      checkOptions(options, files);
    },
    create(ctx) {
      if (!ctx.options.enabled) return undefined;
      const token = checkOptions(ctx.options, ctx);
      return new WebServer(ctx, { host: ctx.options.host.trim(), port: ctx.options.port, token, publicDir: tuning.publicDir ?? PUBLIC_DIR }, tuning);
    },
  };
}

/** The extension as launchers list it: `startGateway(MyInterface, { extensions: [homeAssistant, homie, web] })`. It holds no state. */
export const web: GatewayExtension<WebOptionShape> = webExtension();
