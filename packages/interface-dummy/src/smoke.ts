#!/usr/bin/env node
// dummy2mqtt-smoke: proves an installation by running the real dummy2mqtt process against a
// real broker and checking what a user would look at. One line per check; exit 1 on failure.
//
// Broker: MG_SMOKE_BROKER (mqtt://host:port), else 127.0.0.1:1883; when nothing listens
// there, the dummy's own embedded broker on a free port (so it works with no broker at all).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';

const ROOT = 'testmqttgtw';
const COMMAND_TOPIC = `${ROOT}/audiovideo/dummy/office/amp/tester/C`;
const PERIODIC_TOPIC = `${ROOT}/dummyfunction//office//dummy2mqtt/C`;
const TIMEOUT_MS = 20_000;

interface Seen {
  topic: string;
  payload: string;
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, test: () => boolean): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<number> {
  const given = new URL(process.env.MG_SMOKE_BROKER ?? 'mqtt://127.0.0.1:1883');
  let host = given.hostname;
  let port = Number(given.port || 1883);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    MG_LOG_CONSOLELEVEL: 'DEBUG',
    MG_INTERFACE_INTERVAL: '1',
    MG_MQTT_CLIENTID: `dummy2mqtt-smoke-${process.pid}`,
  };
  let brokerNote = `the broker at ${host}:${port}`;
  if (!(await reachable(host, port))) {
    host = '127.0.0.1';
    port = await freePort();
    Object.assign(env, { MG_BROKER_EMBEDDED: 'on', MG_BROKER_PORT: String(port) });
    brokerNote = `no broker at ${given.host}: the embedded broker on ${host}:${port}`;
  }
  Object.assign(env, { MG_MQTT_HOST: host, MG_MQTT_PORT: String(port) });
  const availability = `${ROOT}/${env.MG_MQTT_CLIENTID}/availability`;
  console.log(`smoke: dummy2mqtt against ${brokerNote}`);

  // An empty working directory: the shipped dummy2mqtt.conf is found next to the launcher.
  const cwd = mkdtempSync(join(tmpdir(), 'dummy2mqtt-smoke-'));
  const child = spawn(process.execPath, [join(__dirname, 'launcher.js')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const seen: Seen[] = [];
  // A plain MQTT client, as a user would watch the broker with mosquitto_sub.
  const client = mqtt.connect(`mqtt://${host}:${port}`, { clientId: `dummy2mqtt-smoke-client-${process.pid}`, reconnectPeriod: 100 });
  client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
  client.on('error', () => undefined); // retried by the client; the checks say what is missing
  const subscribed = new Promise<void>((resolve) => client.once('connect', () => client.subscribe(`${ROOT}/#`, () => resolve())));

  let failed = 0;
  const check = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      console.log(`  ok    ${name}`);
    } catch (err) {
      failed += 1;
      console.log(`  FAIL  ${name}: ${(err as Error).message}`);
    }
  };

  try {
    await check('dummy2mqtt starts, connects and subscribes', async () => {
      await until('"subscribed to" in the log', () => /mqtt INFO: subscribed to /.test(log));
      await subscribed;
    });
    await check(`availability is "online" on ${availability}`, () =>
      until('online', () => seen.some((m) => m.topic === availability && m.payload === 'online')),
    );
    await check(`"mute_toggle" on ${COMMAND_TOPIC} reaches the interface as MUTE_TGL, AudioVideo, Office`, async () => {
      client.publish(COMMAND_TOPIC, 'mute_toggle');
      await until('the DEBUG record of the internal message', () =>
        /DEBUG: received C function=AudioVideo gateway=Dummy location=Office device=amp sender=tester action=MUTE_TGL/.test(log),
      );
    });
    await check(`the periodic command appears as "mute_on" on ${PERIODIC_TOPIC}`, () =>
      until('the periodic command', () => seen.some((m) => m.topic === PERIODIC_TOPIC && m.payload === 'mute_on')),
    );
    await check('its own messages are not echoed back into the interface', async () => {
      await until('the echo to be dropped', () => log.includes(`ignored: message on "${PERIODIC_TOPIC}" was sent by this gateway`));
      if (/interface INFO: received .*sender=dummy2mqtt/.test(log)) throw new Error('the interface received its own message');
    });
    await check('SIGTERM: exit code 0 and availability "offline"', async () => {
      child.kill('SIGTERM');
      const code = await exit;
      if (code !== 0) throw new Error(`exit code ${code}`);
      await until('offline', () => seen.some((m) => m.topic === availability && m.payload === 'offline'));
    });
  } finally {
    child.kill('SIGKILL');
    await client.endAsync(true);
    rmSync(cwd, { recursive: true, force: true });
  }
  if (failed > 0) {
    console.log(`smoke: ${failed} check(s) FAILED. dummy2mqtt said:\n${log.split('\n').slice(-40).join('\n')}`);
    return 1;
  }
  console.log('smoke: all checks passed');
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(`smoke: ${err.message}`);
    process.exitCode = 1;
  },
);
