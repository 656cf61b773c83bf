import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it): playwright-core downloads no browser. */
const CHROMIUM = process.env.MG_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags this machine needs: no sandbox as root, no GPU, and nothing that reaches for the
 * network on its own (the closed network refuses such connections, many at a time).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  /** Uncaught errors of the page's scripts, and console errors, as they come. */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh profile (removed at close) and opens one page. */
export async function openBrowser(viewport = { width: 1100, height: 900 }): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium), or set MG_CHROMIUM`);
  const profile = mkdtempSync(join(tmpdir(), 'mg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A refused write answers 4xx, which Chromium also reports on the console: expected, not a page error.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return {
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
