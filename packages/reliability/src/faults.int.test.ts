import { freePort, startTcpProxy, waitFor, type TestClient } from '@mg/test-helpers';
import { AVAILABILITY, STATUS_FILTER, commandTopic, idOf, writeConf } from './probe.js';
import { useResources } from './resources.js';
import { messageIds, sendCommands, tallyIds, tallyWhenDone } from './deliveries.js';
import { scenario } from './scenario.js';

// Faults a gateway meets in months of unattended running: the broker dies, the gateway dies,
// the broker is not there yet, the network is gone for long, the interface misbehaves.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MB = 1024 * 1024;
const { add, broker, probe, client } = useResources();
const statusIds = (c: TestClient) => c.messages.map((m) => idOf(m.topic));

scenario('Broker kill -9 three times during a QoS 1 stream both ways (persistent session)', async (t) => {
  const b = await broker({ persistence: true });
  const gw = probe(writeConf(b.url, { clean: 'off', subqos: 1, pubqos: 1 }));
  const device = await client(b.url, { clientId: 'suite-device', clean: false });
  await device.subscribe(STATUS_FILTER, 1);
  await gw.connected;
  await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
  // Every 20 ms the device sends a command and the interface pushes a status, both unique.
  const commands: string[] = [];
  const statuses: string[] = [];
  // Commands the broker acknowledged to the device (PUBACK): from then on they are the broker's
  // and the gateway's to deliver. One the broker never acknowledged was lost by the device's own
  // MQTT.js client: published while it was still reconnecting, it was neither acknowledged nor
  // sent again once the client was back (seen on a busy machine: 62 in a row, 0 acknowledged).
  const acknowledged = new Set<string>();
  let n = 0;
  const stream = setInterval(() => {
    const id = `c${n}`;
    commands.push(id);
    device.client.publish(commandTopic(id), 'light_on', { qos: 1 }, (err) => {
      if (!err) acknowledged.add(id);
    });
    statuses.push(`s${n}x0`);
    gw.child.send({ type: 'push', prefix: `s${n}x`, count: 1 });
    n += 1;
  }, 20);
  add(() => clearInterval(stream));
  for (let kill = 0; kill < 3; kill++) {
    await sleep(1500);
    await b.kill();
    await sleep(2000);
    await b.start();
  }
  await sleep(1500);
  clearInterval(stream);
  const reachedBroker = () => commands.filter((id) => acknowledged.has(id) || gw.received.includes(id));
  const done = () => tallyIds(reachedBroker(), gw.received).lost === 0 && tallyIds(statuses, statusIds(device)).lost === 0;
  await waitFor(done, 'every command and status', 30_000).catch(() => undefined);
  const reached = reachedBroker();
  const cmd = tallyIds(reached, gw.received);
  const st = tallyIds(statuses, statusIds(device));
  const report = await gw.report();
  Object.assign(t, {
    sent: cmd.sent + st.sent,
    delivered: cmd.delivered + st.delivered,
    lost: cmd.lost + st.lost,
    duplicated: cmd.duplicated + st.duplicated,
    notes: `${cmd.sent} commands to the interface (${commands.length - reached.length} more never reached the broker: the test client lost them), ${st.sent} statuses to MQTT; one gateway process, ${report.counters!.connections} connections`,
  });
  expect({ commandsLost: cmd.missing, statusesLost: st.missing }).toEqual({ commandsLost: [], statusesLost: [] });
  // The row says something about the gateway only if most commands got as far as the broker.
  expect(reached.length).toBeGreaterThanOrEqual(commands.length / 2);
  expect(gw.child.exitCode).toBeNull();
  expect(gw.err()).not.toMatch(/another client probably uses/);
  expect(report.counters!.connections).toBe(4);
});

scenario('Gateway kill -9: last will "offline", restart "online", QoS 1 commands sent meanwhile arrive', async (t) => {
  const b = await broker();
  const conf = writeConf(b.url, { clean: 'off', subqos: 1, pubqos: 1 });
  const watcher = await client(b.url);
  await watcher.subscribe(AVAILABILITY, 1);
  const live = (payload: string) => (m: { topic: string; payload: string; retain: boolean }) => m.topic === AVAILABILITY && m.payload === payload && !m.retain;
  const first = probe(conf);
  await watcher.waitFor(live('online'), 'online');
  await waitFor(() => /subscribed to/.test(first.out()), 'the subscriptions');
  first.child.kill('SIGKILL');
  await first.exit;
  await watcher.waitFor(live('offline'), 'the last will');
  // Sent while no gateway runs: they wait in its persistent session on the broker.
  const ids = messageIds('k', 100);
  await sendCommands(watcher, ids);
  watcher.messages.length = 0;
  const second = probe(conf);
  await watcher.waitFor(live('online'), 'online again');
  const r = await tallyWhenDone(ids, () => second.received, 'the queued commands', 15_000);
  Object.assign(t, { ...r, notes: 'commands sent while the gateway was dead, received by the restarted process' });
  expect(r.missing).toEqual([]);
});

scenario('Broker down at start: waits, retries with growing delays, works once the broker appears', async (t) => {
  const port = await freePort();
  const gw = probe(writeConf(`mqtt://127.0.0.1:${port}`, { reconnectmin: 0.2, reconnectmax: 2 }, { LOG: { consolelevel: 'DEBUG' } }));
  const attempts = () => [...gw.out().matchAll(/(?:next attempt in|not reachable; next attempt in) (\d+\.\d) s/g)].map((m) => Number(m[1]));
  // Attempts until the delays have grown past 1 s (about 4 s on an idle machine; a loaded one
  // starts the process later).
  await waitFor(() => attempts().length >= 3 && Math.max(...attempts()) >= 1, 'three attempts, the delays grown past 1 s', 20_000);
  const delays = attempts();
  expect(gw.err()).toMatch(/cannot connect to mqtt:\/\/127\.0\.0\.1:\d+: connection refused \(is the broker running\?\)/);
  expect(gw.out() + gw.err()).toMatch(/waiting for the broker at mqtt:\/\/127\.0\.0\.1:\d+; next attempt in/);
  expect(delays.length).toBeGreaterThanOrEqual(3);
  // Equal jitter: each delay lies between half and all of a base that doubles from 0.2 s to 2 s.
  expect(delays[0]!).toBeLessThanOrEqual(0.4);
  expect(Math.max(...delays)).toBeGreaterThanOrEqual(1);
  expect(Math.max(...delays)).toBeLessThanOrEqual(2);
  const b = await broker({ port });
  await gw.connected;
  await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
  const device = await client(b.url);
  const ids = messageIds('w', 50);
  await sendCommands(device, ids);
  const r = await tallyWhenDone(ids, () => gw.received, 'the commands');
  Object.assign(t, { ...r, notes: `attempts ${delays.length} in 4 s, delays ${delays.join(' → ')} s; then connected` });
  expect(r.missing).toEqual([]);
});

scenario('Long outage while the interface pushes 600,000 statuses: memory bounded, drops counted', async (t) => {
  const b = await broker();
  const link = await startTcpProxy(b.port);
  add(() => link.close());
  const watcher = await client(b.url);
  await watcher.subscribe(STATUS_FILTER, 1);
  const gw = probe(writeConf(link.url, { pubqos: 1, outboxsize: 1000 }));
  await gw.connected;
  await link.cut();
  await waitFor(() => /connection to .* lost/.test(gw.err()), 'the disconnection');
  // RSS is a sawtooth that depends on when the garbage collector runs (and on what else the
  // machine does), so it is reported; the bound is asserted on the heap after a full
  // collection, which is what the gateway really holds: it must not grow with what it drops.
  const rss: number[] = [];
  const batches = 30;
  let heapEarly = 0;
  for (let batch = 0; batch < batches; batch++) {
    await gw.request({ type: 'push', prefix: `o${batch}x`, count: 20_000 });
    await sleep(100); // a few polling turns: what was pushed reaches the outbox
    rss.push(gw.rss() / MB);
    if (batch === 4) heapEarly = (await gw.report()).heapAfterGc / MB;
  }
  // Every status in the outbox (the newest 1000) or dropped before the link is back: polling
  // turns come late on a loaded machine, and one pushed after the restore would be published.
  const dropping = async () => (await gw.report()).counters!.dropped >= batches * 20_000 - 1000;
  await waitFor(dropping, 'every pushed status in the outbox or dropped', 30_000);
  const heapLate = (await gw.report()).heapAfterGc / MB;
  await link.restore();
  const sent = batches * 20_000;
  await waitFor(() => watcher.messages.length >= 1000, 'the outbox, sent after the outage', 20_000).catch(() => undefined);
  await sleep(500);
  const report = await gw.report();
  const delivered = new Set(statusIds(watcher)).size;
  const dropped = report.counters!.dropped;
  Object.assign(t, {
    sent,
    delivered,
    lost: sent - delivered - dropped,
    duplicated: watcher.messages.length - delivered,
    notes: `${dropped.toLocaleString('en-US')} dropped beyond [MQTT] outboxsize 1000, counted and logged; heap after GC ${heapEarly.toFixed(1)} MB after 100k, ${heapLate.toFixed(1)} MB after 600k; RSS ${Math.min(...rss).toFixed(0)}-${Math.max(...rss).toFixed(0)} MB`,
  });
  expect(delivered).toBe(1000);
  // The newest 1000 are kept: the last batch's last statuses.
  expect(statusIds(watcher)).toContain(`o${batches - 1}x19999`);
  expect(dropped).toBe(sent - 1000);
  expect(gw.err()).toMatch(/outbox full \(1000 messages\) while the broker is away/);
  expect(heapLate).toBeLessThan(heapEarly + 8);
});

scenario('Interface loop() throws on every turn for 3 s: errors logged (throttled), commands still answered', async (t) => {
  const b = await broker();
  const gw = probe(writeConf(b.url, { subqos: 1, pubqos: 1 }));
  const device = await client(b.url);
  await device.subscribe(STATUS_FILTER, 1);
  await gw.connected;
  await waitFor(() => /subscribed to/.test(gw.out()), 'the subscriptions');
  await gw.request({ type: 'loop-fault', on: true });
  const ids = messageIds('l', 300);
  for (const [i, id] of ids.entries()) {
    await device.publish(commandTopic(id), 'light_on', { qos: 1 });
    if (i % 30 === 0) await sleep(100);
  }
  await waitFor(() => new Set(statusIds(device)).size >= ids.length, 'the replies', 15_000).catch(() => undefined);
  const report = await gw.report();
  const r = tallyIds(ids, gw.received);
  const replies = tallyIds(ids, statusIds(device));
  const lines = gw
    .err()
    .split('\n')
    .filter((l) => l.includes('loop() threw')).length;
  Object.assign(t, { ...r, notes: `${report.counters!.interfaceErrors} loop() errors, log lines: ${lines}; ${replies.delivered} replies published` });
  expect(r.missing).toEqual([]);
  expect(replies.missing).toEqual([]);
  // Dozens of failed turns at the least (about 200 on an idle machine), and still at most 3 lines.
  expect(report.counters!.interfaceErrors).toBeGreaterThan(50);
  expect(lines).toBeGreaterThanOrEqual(1);
  expect(lines).toBeLessThanOrEqual(3);
  expect(gw.err()).toMatch(/interface loop\(\) threw: serial port read failed \(injected by the suite\); the gateway goes on/);
});

scenario('Interface start() rejects (device not found): one CRITICAL line, never online, exit 1 for the supervisor', async (t) => {
  const b = await broker();
  const watcher = await client(b.url);
  await watcher.subscribe(AVAILABILITY, 1);
  const gw = probe(writeConf(b.url, { subqos: 1, pubqos: 1 }, { INTERFACE: { startfault: 'on' } }), { event: true });
  const code = await gw.exit;
  await sleep(300);
  const critical = gw
    .err()
    .split('\n')
    .filter((l) => l.includes('CRITICAL'));
  Object.assign(t, {
    sent: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    notes: `exit code ${code}; ${critical.length} CRITICAL line; availability messages: ${watcher.messages.length}`,
  });
  expect(code).toBe(1);
  expect(critical).toEqual([
    expect.stringMatching(/interface start\(\) threw: device \/dev\/ttyUSB9 not found \(injected by the suite\); the gateway cannot start$/),
  ]);
  expect(gw.err()).not.toMatch(/\n\s+at /); // no stack trace
  expect(watcher.messages.filter((m) => m.payload === 'online')).toEqual([]);
});

scenario('Interface pushes 20,000 invalid messages among 200 valid ones: invalid refused and counted, valid published', async (t) => {
  const b = await broker();
  const gw = probe(writeConf(b.url, { pubqos: 1 }));
  const watcher = await client(b.url);
  await watcher.subscribe('#', 1);
  await gw.connected;
  for (let i = 0; i < 20; i++) {
    await gw.request({ type: 'push-invalid', count: 1000 });
    await gw.request({ type: 'push', prefix: `v${i}x`, count: 10 });
  }
  const ids = Array.from({ length: 200 }, (_, i) => `v${Math.floor(i / 10)}x${i % 10}`);
  await tallyWhenDone(ids, () => statusIds(watcher), 'the valid statuses');
  await sleep(300);
  const report = await gw.report();
  const r = tallyIds(ids, statusIds(watcher));
  const { rejected } = report.counters!;
  const refused = rejected['bad-token']! + rejected['strict-miss']! + rejected['empty-message']!;
  const logLines = (gw.out() + gw.err()).split('\n').filter((l) => /outgoing message rejected/.test(l)).length;
  const stray = watcher.messages.filter((m) => !m.topic.startsWith(`testmqttgtw/lighting/dummy/office/v`) && !m.topic.endsWith('/availability'));
  Object.assign(t, {
    ...r,
    notes: `${refused.toLocaleString('en-US')} refused (bad-token, strict-miss, empty-message), ${logLines} log lines, ${stray.length} stray topics`,
  });
  expect(r.missing).toEqual([]);
  expect(refused).toBe(20_000);
  expect(stray).toEqual([]);
  expect(logLines).toBeLessThanOrEqual(6);
});
