import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';

const SCRIPT = join(__dirname, '..', 'test', 'fixtures', 'run-broker.js');

function run(port: number) {
  const child = spawn(process.execPath, [SCRIPT, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`broker exited with ${code}: ${err}`)));
  });
  started.catch(() => undefined); // the port-taken test awaits the exit instead
  return { child, started, exited, output: () => out, errors: () => err };
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

it('relays messages between MQTT clients, and stops cleanly on SIGTERM', async () => {
  const broker = run(0);
  child = broker.child;
  const port = await broker.started;
  const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
  const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
  const got = new Promise<string>((resolve) => sub.on('message', (topic, payload) => resolve(`${topic} ${payload.toString()}`)));
  await sub.subscribeAsync('home/+/C');
  await pub.publishAsync('home/lamp/C', 'light_on');
  expect(await got).toBe('home/lamp/C light_on');
  await Promise.all([sub.endAsync(), pub.endAsync()]);
  broker.child.kill('SIGTERM');
  expect(await broker.exited).toBe(0);
  expect(broker.errors()).toBe('');
});

it('exits 2 when its port is taken, instead of pretending to be the other broker (its one error line checked word for word, on purpose)', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  try {
    const broker = run(taken);
    child = broker.child;
    expect(await broker.exited).toBe(2);
    expect(broker.errors()).toMatch(/^CODE BROKER_LISTEN$/m);
    expect(broker.errors()).toContain(`embedded broker: port ${taken} on 127.0.0.1 is already in use (another broker?): set [BROKER] port to a free one`);
  } finally {
    blocker.close();
  }
});
