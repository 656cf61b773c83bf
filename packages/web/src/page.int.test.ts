// The page in a real browser (Debian's Chromium driven by playwright-core) against a real
// dummy2mqtt process, as users run it, on a real mosquitto of its own per test. What is checked
// is what a user sees on the page, what reaches the interface (its log), and what /health and
// /metrics answer.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectClient, spawnNode, startMosquitto, waitFor, type LoggedProcess, type Mosquitto } from '@mg/test-helpers';
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

/** A log line's own time (the logger writes local time with milliseconds). */
const logTime = (line: string) => new Date(line.slice(0, 23).replace(' ', 'T')).getTime();

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
      // Its own MUTE_ON pushes would only add lines to the log: one an hour.
      'interval: 3600',
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

it('shows a status pushed by the interface within a second', async () => {
  await openPage();
  const { page } = browser;
  // The page notes when the value appears (its own clock is the machine's, as the log's is).
  await page.evaluate(`(() => {
    const output = document.querySelector('${cap('volume')} .cap-value');
    new MutationObserver(() => { if (output.textContent === '42' && !window.seenAt) window.seenAt = Date.now(); })
      .observe(output, { childList: true, characterData: true, subtree: true });
  })()`);
  // A device reporting on its own: the dummy answers a command from the broker with a status.
  const client = await connectClient(broker.url);
  try {
    await client.publish('testmqttgtw/audiovideo/dummy/office/amp/me/C', JSON.stringify({ action: 'volume_set', arguments: { level: 42 } }));
    await page.locator(`${cap('volume')} .cap-value`, { hasText: /^42$/ }).waitFor();
  } finally {
    await client.end();
  }
  const pushed = /^.{23} \S+ INFO: pushing S .*action=VOLUME\b.*"level":42.*$/m.exec(gateway.out());
  if (!pushed) throw new Error(`the dummy logged no VOLUME status:\n${gateway.out()}`);
  const seenAt = (await page.evaluate('window.seenAt')) as number;
  const elapsed = seenAt - logTime(pushed[0]);
  expect(elapsed).toBeGreaterThanOrEqual(0);
  expect(elapsed).toBeLessThan(1000);
  expect(browser.errors).toEqual([]);
});

it('a write from the form reaches the interface', async () => {
  await openPage();
  const { page } = browser;
  await page.locator(`${cap('mute')} button`, { hasText: 'On' }).click();
  await page.locator(`${cap('mute')} .cap-result[data-state="ok"]`).waitFor();
  await waitFor(() => /received C function=AudioVideo .*action=MUTE_ON/.test(gateway.out()), 'MUTE_ON at the dummy');
  // The command is in the page's log too, as a message in.
  await page.locator('#messages .message[data-dir="in"]', { hasText: 'action=MUTE_ON' }).waitFor();
  expect(browser.errors).toEqual([]);
});

it('a refused value shows its reason, and the interface never gets it', async () => {
  await openPage();
  const { page } = browser;
  await page.locator(`${cap('volume')} input`).fill('150');
  await page.locator(`${cap('volume')} button`, { hasText: 'Set' }).click();
  const result = page.locator(`${cap('volume')} .cap-result[data-state="refused"]`);
  await result.waitFor();
  await expect(result.textContent()).resolves.toMatch(/^refused \(invalid-value\): .*150/);
  // The refusal is also in the list of refusals, as the gateway counted it.
  await page.locator('#refusals .refusal[data-reason="invalid-value"]').waitFor();
  await page.locator('#counters [data-counter="refused-invalid-value"] dd', { hasText: /^1$/ }).waitFor();
  expect(gateway.out()).not.toMatch(/received C .*action=VOLUME_SET/);
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
