// The page in a real browser (Debian's Chromium driven by playwright-core) against a real
// dummy2mqtt process, as users run it, on a real mosquitto of its own per test. What is checked
// is what a user sees on the page, what reaches the interface (its log), and what /health and
// /metrics answer.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode, startMosquitto, waitFor, type LoggedProcess, type Mosquitto } from '@mg/test-helpers';
import { openBrowser, type Browser } from './test-support/browser.js';
import { parsePrometheusText } from './test-support/prometheus-text.js';

jest.setTimeout(60_000);

// The built launcher and the shipped map of the dummy gateway (built by `pnpm build`).
const DUMMY = join(__dirname, '..', '..', 'interface-dummy');
const LAUNCHER = join(DUMMY, 'dist', 'launcher.js');
const MAP = join(DUMMY, 'dummy.map.json');
const DEVICE = '[data-device="dummy"]';
const cap = (id: string) => `${DEVICE} [data-capability="${id}"]`;

let broker: Mosquitto;
let gateway: LoggedProcess;
let browser: Browser;
let dir: string;
let base: string;

async function ready(): Promise<{ status: number; body: { status: string; reason?: string } }> {
  const res = await fetch(`${base}/health/ready`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
}

beforeEach(async () => {
  if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: build the workspace first (pnpm build)`);
  broker = await startMosquitto();
  dir = mkdtempSync(join(tmpdir(), 'mg-web-page-'));
  writeFileSync(
    join(dir, 'dummy2mqtt.conf'),
    [
      '[INTERFACE]',
      'port: /dev/ttyDUMMY',
      // The dummy's own message, pushed every 2 s: what the live log must show.
      'interval: 2',
      '[MQTT]',
      'host: 127.0.0.1',
      `port: ${broker.port}`,
      'mapping: on',
      `mapfilename: ${MAP}`,
      // Back soon after the broker is: the readiness test waits for it.
      'reconnectmin: 0.2',
      'reconnectmax: 1',
      '[WEB]',
      'enabled: on',
      'port: 0',
      '[LOG]',
      'consolelevel: INFO',
      '',
    ].join('\n'),
  );
  gateway = spawnNode(LAUNCHER, ['-c', join(dir, 'dummy2mqtt.conf')], { cwd: dir });
  await waitFor(() => /web page at http:\/\/\S+\//.test(gateway.out()) || gateway.child.exitCode !== null, 'the address of the web page in the log');
  const address = /web page at (http:\/\/\S+)\//.exec(gateway.out());
  if (!address?.[1]) throw new Error(`dummy2mqtt printed no web page address:\n${gateway.output()}`);
  base = address[1];
  await waitFor(async () => (await ready()).status === 200, 'the gateway ready (broker connected, interface started)');
  browser = await openBrowser();
});

afterEach(async () => {
  await browser?.close();
  gateway?.child.kill('SIGTERM');
  await gateway?.exit;
  await broker?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the page and waits until it follows the live stream. */
async function openPage(): Promise<void> {
  await browser.page.goto(`${base}/`);
  await browser.page.locator('#live', { hasText: /^live$/ }).waitFor();
  await browser.page.locator(DEVICE).waitFor();
}

it("lists the dummy's device with its capabilities, and the gateway with its broker", async () => {
  await openPage();
  const { page } = browser;
  await expect(page.locator('#gw-name').textContent()).resolves.toBe('dummy2mqtt');
  await expect(page.locator('#gw-broker').textContent()).resolves.toBe(`mqtt://127.0.0.1:${broker.port}`);
  await expect(page.locator('#gw-availability').textContent()).resolves.toBe('online');
  await expect(page.locator(`${DEVICE} h3`).textContent()).resolves.toMatch(/^Dummy device dummy available$/);
  await expect(page.locator(`${cap('mute')} .cap-name`).textContent()).resolves.toMatch(/^Mute/);
  await expect(page.locator(`${cap('mute')} button`).allTextContents()).resolves.toEqual(['On', 'Off']);
  expect(browser.errors).toEqual([]);
});

it('shows a message pushed by the interface within a second of its publication', async () => {
  await openPage();
  const { page } = browser;
  // The page notes when the first message out appears, beside the time the gateway published
  // it (the event's "at"): both are this machine's clock. (An attribute, not a global: the
  // page's Content-Security-Policy forbids the eval a string predicate would need.)
  await page.evaluate(`(() => {
    const log = document.getElementById('messages');
    new MutationObserver(() => {
      const item = log.querySelector('.message[data-dir="out"]');
      if (item && !document.body.dataset.firstOut)
        document.body.dataset.firstOut = JSON.stringify({ at: Number(item.dataset.at), seen: Date.now(), text: item.textContent });
    }).observe(log, { childList: true });
  })()`);
  await page.locator('body[data-first-out]').waitFor({ state: 'attached' });
  const first = JSON.parse((await page.locator('body').getAttribute('data-first-out')) ?? '{}') as { at: number; seen: number; text: string };
  expect(first.text).toContain('testmqttgtw/dummyfunction//office//dummy2mqtt/C');
  expect(first.text).toContain('mute_on');
  expect(first.text).toContain('action=MUTE_ON');
  expect(gateway.out()).toMatch(/INFO: pushing C function=DummyFunction .*action=MUTE_ON/);
  const elapsed = first.seen - first.at;
  expect(elapsed).toBeGreaterThanOrEqual(0);
  expect(elapsed).toBeLessThan(1000);
  // The filter hides what does not match, and shows it again.
  await page.locator('#filter').fill('no such topic');
  await page.locator('#messages .message[data-dir="out"]').first().waitFor({ state: 'hidden' });
  await page.locator('#filter').fill('DUMMYFUNCTION');
  await page.locator('#messages .message[data-dir="out"]').first().waitFor({ state: 'visible' });
  expect(browser.errors).toEqual([]);
});

it('a write from the form reaches the interface', async () => {
  await openPage();
  const { page } = browser;
  await page.locator(`${cap('mute')} button`, { hasText: 'On' }).click();
  await page.locator(`${cap('mute')} .cap-result[data-state="ok"]`).waitFor();
  await waitFor(() => /received C function=AudioVideo .*action=MUTE_ON/.test(gateway.out()), 'MUTE_ON at the dummy');
  // The command is in the page's log too, as a message in, beside the dummy's own messages out.
  await page.locator('#messages .message[data-dir="in"]', { hasText: 'action=MUTE_ON' }).waitFor();
  await page.locator('#messages .message[data-dir="out"]').first().waitFor();
  // The counters follow live (sent at most once a second).
  await page.locator('#counters [data-counter="delivered"] dd', { hasText: /^[1-9]/ }).waitFor();
  await page.locator('#counters [data-counter="published"] dd', { hasText: /^[1-9]/ }).waitFor();
  expect(browser.errors).toEqual([]);
  // The picture in docs/web.md: MG_WEB_SCREENSHOT=$PWD/docs/img/web-page.png (an absolute path).
  if (process.env.MG_WEB_SCREENSHOT) await page.screenshot({ path: process.env.MG_WEB_SCREENSHOT, fullPage: true });
});

it('a refused value shows its reason, and the interface never gets it', async () => {
  await openPage();
  const { page } = browser;
  // What a user with the browser's developer tools, or a page older than the gateway, could send.
  const on = page.locator(`${cap('mute')} button`, { hasText: 'On' });
  await on.evaluate((button: { value: string }) => {
    button.value = 'maybe';
  });
  await on.click();
  const result = page.locator(`${cap('mute')} .cap-result[data-state="refused"]`);
  await result.waitFor();
  await expect(result.textContent()).resolves.toMatch(/^refused \(invalid-value\): .*maybe/);
  // The refusal is also in the list of refusals, and counted.
  await page.locator('#refusals .refusal[data-reason="invalid-value"]').waitFor();
  await page.locator('#counters [data-counter="refused-invalid-value"] dd', { hasText: /^1$/ }).waitFor();
  expect(gateway.out()).not.toMatch(/received C /);
  expect(browser.errors).toEqual([]);
});

it('/health/ready turns 503 when the broker dies and 200 when it is back; the page follows', async () => {
  await openPage();
  const { page } = browser;
  await expect(fetch(`${base}/health/live`).then((r) => r.json())).resolves.toEqual({ status: 'live' });
  await expect(ready()).resolves.toEqual({ status: 200, body: { status: 'ready' } });
  await broker.kill();
  await waitFor(async () => (await ready()).status === 503, '/health/ready 503');
  const down = await ready();
  expect(down.body.status).toBe('not-ready');
  expect(down.body.reason).toMatch(/broker/);
  await page.locator('#gw-connection[data-state="down"]').waitFor();
  await page.locator('#gw-availability', { hasText: 'offline' }).waitFor();
  await broker.start();
  await waitFor(async () => (await ready()).status === 200, '/health/ready 200 again', 20_000);
  await page.locator('#gw-connection[data-state="up"]').waitFor();
  await page.locator('#gw-availability', { hasText: 'online' }).waitFor();
  expect(browser.errors).toEqual([]);
});

it('/metrics is valid Prometheus text with the gateway, broker, device and web metrics', async () => {
  await openPage();
  // A write first, so that a counter has moved.
  await browser.page.locator(`${cap('mute')} button`, { hasText: 'On' }).click();
  await waitFor(() => /received C function=AudioVideo .*action=MUTE_ON/.test(gateway.out()), 'MUTE_ON at the dummy');
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusText(await res.text());
  const value = (name: string, labels: Record<string, string> = {}) =>
    families.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  for (const f of families.values()) if (f.name.startsWith('mg_')) expect({ name: f.name, help: Boolean(f.help) }).toEqual({ name: f.name, help: true });
  expect(families.get('mg_messages_delivered_total')?.type).toBe('counter');
  expect(value('mg_messages_delivered_total')).toBeGreaterThanOrEqual(1);
  expect(value('mg_connected')).toBe(1);
  expect(value('mg_broker_connected', { broker: `mqtt://127.0.0.1:${broker.port}` })).toBe(1);
  expect(value('mg_broker_connections_total', { broker: `mqtt://127.0.0.1:${broker.port}` })).toBe(1);
  expect(value('mg_device_available', { device: 'dummy' })).toBe(1);
  expect(value('mg_messages_refused_total', { reason: 'invalid-value' })).toBe(0);
  expect(value('mg_web_viewers')).toBe(1);
  expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
  expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
  expect(browser.errors).toEqual([]);
});
