/** The `origin` block: what publishes these configs. Its name also marks the configs as ours when stale ones are looked for. */
export interface Origin {
  name: string;
  sw_version: string;
  support_url: string;
}

export const ORIGIN_NAME = '@mg/homeassistant';
const SUPPORT_URL = 'https://github.com/mg-gateway/mg/tree/main/packages/homeassistant';

/** The origin block, with this package's version read from its package.json (one source, in src/ and in dist/ alike). */
export function originBlock(): Origin {
  const { version } = require('../package.json') as { version: string };
  return { name: ORIGIN_NAME, sw_version: version, support_url: SUPPORT_URL };
}
