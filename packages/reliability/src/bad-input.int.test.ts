import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connectClient, freePort, spawnNode, startMosquitto, waitFor } from '@mg/test-helpers';
import { fuzzMessages } from './fuzz-cases.js';
import { MAP_FILE, launchProbe, writeConf } from './probe.js';
import { tallyIds, tallyWhenDone } from './deliveries.js';
import { scenario } from './scenario.js';

/** The dummy map as parsed JSON, loose enough for the mutations below. */
interface MapJson {
  root?: string;
  location: { maptype: string; map: Record<string, string[]> };
  action: { maptype: string; map?: Record<string, string[]> };
}

const MB = 1024 * 1024;
const LAUNCHER = join(dirname(require.resolve('@mg/interface-dummy/package.json')), 'dist', 'launcher.js');

scenario('Fuzz: 100,000 malformed messages interleaved with 2,000 valid commands', async (t) => {
  const broker = await startMosquitto({ extraConfig: ['max_queued_messages 0', 'max_inflight_messages 0'] });
  // The widest subscription a user can give ("#"): everything published reaches the gateway.
  const dir = mkdtempSync(join(tmpdir(), 'mg-fuzz-'));
  const map = JSON.parse(readFileSync(MAP_FILE, 'utf8')) as { topics: string[] };
  writeFileSync(join(dir, 'fuzz.map.json'), JSON.stringify({ ...map, topics: ['#'] }));
  const gw = launchProbe(writeConf(broker.url, { subqos: 1, mapfilename: join(dir, 'fuzz.map.json') }));
  const fuzzer = await connectClient(broker.url);
  try {
    await gw.connected;
    await waitFor(() => /subscribed to/.test(gw.out()), 'the subscription');
    const linesBefore = (gw.out() + gw.err()).split('\n').length;
    const messages = fuzzMessages(100_000, 50, 20261125);
    const valid = messages.filter((m) => m.validId).map((m) => m.validId!);
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(gw.rss() / MB), 200);
    const started = Date.now();
    try {
      for (let i = 0; i < messages.length; i += 500) {
        await Promise.all(messages.slice(i, i + 500).map((m) => fuzzer.publish(m.topic, m.payload, { qos: 1 })));
      }
      await waitFor(async () => (await gw.report()).counters!.received >= messages.length, 'the gateway to take every message', 60_000).catch(() => undefined);
      await tallyWhenDone(valid, () => gw.received, 'every valid command');
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    const report = await gw.report();
    const r = tallyIds(valid, gw.received);
    const logLines = (gw.out() + gw.err()).split('\n').length - linesBefore;
    // The probe answers every command it gets, and "#" brings those answers back: echoes.
    const { echo, ...refusals } = report.counters!.rejected;
    const rejected = Object.values(refusals).reduce((a, b) => a + b, 0);
    // Throttled: each kind of refusal logs its first, then one summary per 10 s at most.
    const logBound = Object.keys(refusals).length * (2 + Math.ceil(seconds / 10));
    const peak = Math.max(...rss);
    Object.assign(t, {
      ...r,
      notes: `${(messages.length - valid.length).toLocaleString('en-US')} malformed (12 kinds, 1 MB payloads, 100,000-deep JSON): ${rejected.toLocaleString('en-US')} refused, the rest harmless; ${logLines} log lines in ${seconds.toFixed(0)} s; peak RSS ${peak.toFixed(0)} MB`,
    });
    expect(gw.child.exitCode).toBeNull();
    expect(report.counters!.received - echo!).toBe(messages.length);
    expect(r.missing).toEqual([]);
    expect(report.polluted).toBe(false);
    expect(logLines).toBeLessThanOrEqual(logBound);
    expect(peak).toBeLessThan(300);
  } finally {
    gw.child.kill('SIGKILL');
    await fuzzer.end();
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

interface BadInput {
  name: string;
  /** `[MQTT]` options over the good ones (a known option keeps its line, a new one is added). */
  mqtt?: Record<string, string>;
  /** Lines after the good file (a string replaces the whole file). */
  conf?: string[] | string;
  /** The map file's text, or a change to the good map. */
  map?: string | ((m: MapJson) => void);
  args?: string[];
  env?: Record<string, string>;
  /** What stderr (stdout for --check) must say; `FILE` stands for the configuration file. */
  says: RegExp;
  code?: number;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'missing configuration file',
    args: ['-c', '/nonexistent/dummy2mqtt.conf'],
    says: /\/nonexistent\/dummy2mqtt\.conf: the configuration file does not exist; check the path given with -c\/--conf/,
  },
  { name: 'configuration path is a directory', args: ['-c', tmpdir()], says: /: the configuration file cannot be read \(it is a directory\)/ },
  {
    name: 'line that is not INI',
    conf: '[INTERFACE]\nport: x\nthis is not ini\n',
    says: /FILE:3: "option = value" or "option: value", found "this is not ini"/,
  },
  { name: 'option before any section', conf: 'host: x\n[INTERFACE]\nport: x\n', says: /FILE:1: a \[SECTION\] header before the first option/ },
  { name: 'port out of range', mqtt: { port: '99999' }, says: /FILE:5: \[MQTT\] port = "99999": expected an integer from 1 to 65535/ },
  { name: 'port not a number', mqtt: { keepalive: 'soon' }, says: /FILE:8: \[MQTT\] keepalive = "soon": expected an integer/ },
  {
    name: 'unknown log level',
    conf: ['[LOG]', 'consolelevel: LOUD'],
    says: /FILE:9: \[LOG\] consolelevel = "LOUD": expected CRITICAL, ERROR, WARN \(or WARNING\), INFO, DEBUG or NONE/,
  },
  { name: 'bad boolean', mqtt: { retain: 'perhaps' }, says: /FILE:8: \[MQTT\] retain = "perhaps": expected on\/off, true\/false, yes\/no or 1\/0/ },
  { name: 'option set twice', conf: ['host: 10.0.0.1'], says: /FILE:8: \[MQTT\] host: each option only once per section \(first set on line 4\)/ },
  { name: 'number out of range', mqtt: { timeout: '0' }, says: /FILE:8: \[MQTT\] timeout = "0": expected a number from 0\.001 to 60/ },
  { name: 'value not among the choices', mqtt: { protocol: 'http' }, says: /FILE:8: \[MQTT\] protocol = "http": expected one of mqtt, mqtts, ws, wss/ },
  { name: 'QoS 3', mqtt: { subqos: '3' }, says: /FILE:8: \[MQTT\] subqos = "3": expected one of 0, 1, 2/ },
  {
    name: 'unknown option (--check)',
    conf: ['hots: broker.lan'],
    args: ['--check'],
    code: 2,
    says: /FILE:8: unknown option "hots" in \[MQTT\]; did you mean "host"\?/,
  },
  {
    name: 'unknown section (--check)',
    conf: ['[MQQT]', 'host: x'],
    args: ['--check'],
    code: 2,
    says: /FILE:8: unknown section \[MQQT\]; did you mean \[MQTT\]\?/,
  },
  {
    name: 'bad environment override',
    env: { MG_MQTT_PORT: 'notaport' },
    says: /environment variable MG_MQTT_PORT: \[MQTT\] port = "notaport": expected an integer from 1 to 65535/,
  },
  { name: 'unknown command-line option', args: ['--bogus'], says: /Unknown option '--bogus'; try --help/ },
  { name: 'missing map file', mqtt: { mapfilename: 'nope.map.json' }, says: /map file .*nope\.map\.json does not exist/ },
  { name: 'map path that cannot be read', mqtt: { mapfilename: tmpdir() }, says: /map file .* cannot be read \(it is a directory\)/ },
  { name: 'broken JSON map', map: '{"root": "x",\n  "topics": [', says: /map file .*map\.json:2:14 is not valid JSON/ },
  { name: 'empty map file', map: '', says: /map file .*map\.json:1:1 is not valid JSON/ },
  { name: 'map that is a JSON array', map: '[1, 2]', says: /map file .*map\.json is not a valid map:\n {2}\$: / },
  {
    name: 'unknown maptype',
    map: (m) => (m.location.maptype = 'strictish'),
    says: /\$\.location\.maptype: Invalid option: expected one of "none"\|"loose"\|"strict" \(found "strictish"\)/,
  },
  { name: 'strict map without its map', map: (m) => delete m.action.map, says: /\$\.action\.map: is required when maptype is "strict"/ },
  {
    name: 'ambiguous aliases',
    map: (m) => (m.action.map!.LIGHT_ON = ['light_off']),
    says: /\$\.action\.map\.LIGHT_ON\[0\]: MQTT keyword "light_off" is also listed under "LIGHT_OFF": it would be ambiguous/,
  },
  { name: 'empty alias list', map: (m) => (m.location.map.Office = []), says: /\$\.location\.map\.Office: lists at least one MQTT keyword/ },
  { name: 'map without root', map: (m) => delete m.root, says: /\$\.root: is missing \(expected string\)/ },
  { name: 'missing password file', mqtt: { passwordfile: '/nonexistent/pw' }, says: /\[MQTT\] passwordfile: file \/nonexistent\/pw does not exist/ },
  { name: 'missing CA file', mqtt: { protocol: 'mqtts', cafile: '/nonexistent/ca.pem' }, says: /\[MQTT\] cafile: file \/nonexistent\/ca\.pem does not exist/ },
  {
    name: 'log file where a file blocks the path',
    conf: ['[LOG]', 'logfilename: map.json/gateway.log'],
    says: /\[LOG\] logfilename: cannot write the log file .*map\.json\/gateway\.log: a file stands where the path needs a directory/,
  },
  {
    name: 'interface option missing',
    conf: '[MQTT]\nport: PORT\n[INTERFACE]\ninterval: 5\n',
    says: /invalid configuration: FILE: \[INTERFACE\] port: is required: give the device the interface talks to/,
  },
];

async function tryInput(input: BadInput, port: number): Promise<{ code: number | null; text: string; problem?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bad-'));
  try {
    const conf = join(dir, 'dummy2mqtt.conf');
    const mqtt = { host: '127.0.0.1', port: String(port), mapping: 'on', mapfilename: 'map.json', ...input.mqtt };
    const good = ['[INTERFACE]', 'port: /dev/ttyDUMMY', '[MQTT]', ...Object.entries(mqtt).map(([k, v]) => `${k}: ${v}`)];
    const text = typeof input.conf === 'string' ? input.conf.replace('PORT', String(port)) : [...good, ...(input.conf ?? [])].join('\n');
    writeFileSync(conf, `${text}\n`);
    let map = readFileSync(MAP_FILE, 'utf8');
    if (typeof input.map === 'string') map = input.map;
    else if (input.map) {
      const m = JSON.parse(map) as MapJson;
      input.map(m);
      map = JSON.stringify(m, null, 2);
    }
    writeFileSync(join(dir, 'map.json'), map);
    const args = input.args?.includes('-c') ? input.args : ['-c', conf, ...(input.args ?? [])];
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...input.env };
    delete env.MG_DEBUG;
    const p = spawnNode(LAUNCHER, args, { cwd: dir, env });
    const killer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
    const code = await p.exit;
    clearTimeout(killer);
    const output = input.code === 2 ? p.out() : p.err();
    const says = new RegExp(input.says.source.replace(/FILE/g, conf.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    const expected = input.code ?? 1;
    let problem: string | undefined;
    if (code !== expected) problem = `exit code ${code}, expected ${expected}`;
    else if (!says.test(output)) problem = `message does not match ${says}`;
    else if (/\n\s+at /.test(p.err())) problem = 'a stack trace without MG_DEBUG';
    else if (input.code !== 2 && p.err().trim().split('\n').length > 2) problem = 'more than one message';
    return { code, text: output, problem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

scenario(`Bad configuration and map files: ${BAD_INPUTS.length} inputs through the dummy2mqtt launcher`, async (t) => {
  const port = await freePort(); // nothing listens: no input may get as far as connecting
  const results: Array<{ name: string; problem?: string; text: string }> = [];
  for (let i = 0; i < BAD_INPUTS.length; i += 2) {
    const pair = BAD_INPUTS.slice(i, i + 2);
    const done = await Promise.all(pair.map((input) => tryInput(input, port)));
    done.forEach((r, j) => results.push({ name: pair[j]!.name, ...r }));
  }
  // MG_DEBUG=1 adds the stack trace for a bug report.
  const debug = spawnNode(LAUNCHER, ['-c', 'nope.conf'], { cwd: tmpdir(), env: { ...process.env, MG_DEBUG: '1' } });
  await debug.exit;
  const clear = results.filter((r) => !r.problem);
  Object.assign(t, {
    sent: results.length,
    delivered: clear.length,
    notes: `inputs tried / clear messages: one message naming the file and place, exit 1 (2 for --check warnings), no stack trace unless MG_DEBUG=1`,
  });
  expect(results.filter((r) => r.problem).map((r) => `${r.name}: ${r.problem}\n${r.text}`)).toEqual([]);
  expect(debug.err()).toMatch(/\n\s+at /);
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20);
});
