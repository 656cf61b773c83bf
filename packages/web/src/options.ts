import { isIP } from 'node:net';
import { bool, int, string } from '@mg/core/options';

// A host name or an IP address, without a scheme or port: what node:http listens on.
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;

/**
 * The `[WEB]` section. Declared once: it types the extension's options, `--check` validates it,
 * and the README's table is generated from it.
 */
export const webOptions = {
  enabled: bool(false, 'Serve the status page, the health checks (/health/live, /health/ready), /metrics and the JSON API.'),
  host: string(
    '127.0.0.1',
    'Address to listen on. Anything but a loopback address (127.0.0.1, ::1, localhost) needs a token or tokenfile: the page can write to the devices.',
  ).refine((h) => isIP(h.trim()) !== 0 || HOST_NAME.test(h.trim()), {
    message: 'expected an IP address or a host name, without scheme or port (e.g. "127.0.0.1" or "0.0.0.0")',
  }),
  port: int(8377, 'TCP port; 0 takes any free port (the log says which).', { min: 0, max: 65535 }),
  token: string('', 'Token that writes must carry (header X-MG-Token or Authorization: Bearer); prefer tokenfile to keep it out of this file.', {
    secret: true,
  }),
  tokenfile: string('', 'File whose first line is the token (overrides token); relative names are found next to the configuration file.'),
};

export type WebOptionShape = typeof webOptions;
