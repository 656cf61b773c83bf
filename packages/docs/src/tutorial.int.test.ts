import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { connectClient, freePort, retainedUnder, SHARED_BROKER_URL, spawnNode, sweepRetained, uniqueRoot, waitFor } from '@mg/test-helpers';
import { codeBlocks } from './code-blocks.js';

// Builds the gateway of docs/tutorial.md from its code blocks, compiles it with the
// repository's TypeScript settings, and runs it against a simulated intercom and the broker.
const TUTORIAL = join(__dirname, '..', '..', '..', 'docs', 'tutorial.md');
// Inside the package, so @mg/core resolves; not a hidden folder, which jest would not search.
const WORK = join(__dirname, '..', 'tutorial-build');
const blocks = codeBlocks(readFileSync(TUTORIAL, 'utf8'));

beforeAll(() => {
  rmSync(WORK, { recursive: true, force: true });
  for (const b of blocks.filter((b) => b.file)) {
    mkdirSync(dirname(join(WORK, b.file!)), { recursive: true });
    writeFileSync(join(WORK, b.file!), b.code);
  }
  writeFileSync(
    join(WORK, 'tsconfig.json'),
    JSON.stringify({ extends: '../../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist', types: ['node', 'jest'] }, include: ['src'] }),
  );
});
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

/** Runs a Node script; a failure says what it printed. */
function run(script: string, ...args: string[]): void {
  try {
    execFileSync(process.execPath, [script, ...args], { stdio: 'pipe', cwd: WORK });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${script} ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

it('names a file for every code block that is part of the gateway', () => {
  const files = blocks.filter((b) => b.file).map((b) => b.file);
  expect(files).toEqual([
    'src/intercom-interface.ts',
    'src/launcher.ts',
    'intercom2mqtt.conf',
    'intercom2mqtt.map.json',
    'src/intercom-interface.test.ts',
    'intercom2mqtt.service',
  ]);
  expect(blocks.filter((b) => b.lang === 'ts' && !b.file)).toEqual([]);
});

it('compiles, its unit test passes, and the gateway it builds works against an intercom and a broker', async () => {
  run(require.resolve('typescript/bin/tsc'), '-p', join(WORK, 'tsconfig.json'));
  // The tutorial's own test (the testing kit, no broker), compiled, run by jest as it is.
  run(require.resolve('jest/bin/jest'), '--ci', '--config', JSON.stringify({ rootDir: WORK, testRegex: 'dist/.*\\.test\\.js$' }));
  // Its own root on the shared broker; the map is the tutorial's otherwise.
  const root = uniqueRoot('tut');
  const mapPath = join(WORK, 'intercom2mqtt.map.json');
  writeFileSync(mapPath, readFileSync(mapPath, 'utf8').replace(/"home/g, `"${root}`));

  let intercom: Socket | undefined;
  const heard: string[] = [];
  let gate = 'CLOSED';
  const server = createServer((s) => {
    intercom = s;
    let buffer = '';
    s.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        heard.push(line);
        if (line === 'GATE?') s.write(`GATE ${gate}\n`); // as the intercom answers
      }
    });
  });
  // The intercom is not there when the gateway starts: it must stay up and connect later.
  const intercomPort = await freePort();
  const { hostname, port } = new URL(SHARED_BROKER_URL);
  const client = await connectClient(SHARED_BROKER_URL);
  await client.subscribe(`${root}/#`);
  const gw = spawnNode(join(WORK, 'dist', 'launcher.js'), [], {
    cwd: WORK,
    env: { ...process.env, MG_INTERFACE_ADDRESS: `tcp://127.0.0.1:${intercomPort}`, MG_MQTT_HOST: hostname, MG_MQTT_PORT: port || '1883' },
  });
  const gateway = gw.child;
  const log = () => gw.output();
  const exit = gw.exit;
  const status = `${root}/security//entrance/intercom/intercom2mqtt/S`;
  const availability = `${root}/intercom2mqtt/intercom/availability`;
  /** The intercom's availability as published so far. */
  const published = () => client.messages.filter((m) => m.topic === availability).map((m) => m.payload);
  try {
    await waitFor(() => /subscribed to/.test(log()) && /intercom: .*next attempt in/.test(log()), 'the gateway up, the intercom unreachable');
    expect(gateway.exitCode).toBeNull();
    await client.waitFor((m) => m.topic === availability && m.payload === 'offline', 'the intercom offline');
    await new Promise<void>((resolve) => server.listen(intercomPort, '127.0.0.1', resolve));
    await waitFor(() => intercom !== undefined, 'the gateway to reach the intercom once it is there', 15_000);
    await client.waitFor((m) => m.topic === availability && m.payload === 'online', 'the intercom online');
    // The gate is read at connection, and again when asked on the poll topic.
    await client.waitFor((m) => m.topic === status && m.payload === 'gate_closed', 'the gate read at connection');
    gate = 'OPEN';
    await client.publish(`${root}/intercom2mqtt/poll`, 'intercom');
    await client.waitFor((m) => m.topic === status && m.payload === 'gate_open', 'the gate read on a poll request');
    intercom!.write('BELL\n');
    await client.waitFor((m) => m.topic === status && m.payload === 'bell_ring', 'bell_ring');
    // The gate's state is kept by the broker (its publish policy); the bell, an event, is not.
    expect((await retainedUnder(status)).map((m) => m.payload)).toEqual(['gate_open']);
    await client.publish(`${root}/security//front_door/intercom/me/C`, 'open_gate');
    await waitFor(() => heard.includes('RELEASE'), 'RELEASE on the serial line');
    const reply = await client.waitFor((m) => m.topic === status && m.payload.startsWith('{'), 'the reply');
    expect(JSON.parse(reply.payload)).toEqual({ action: 'gate_release', response: 'OK', reason: 'gate released' });
    // Unplugged: the intercom goes offline, the gateway stays up.
    server.close();
    intercom!.destroy();
    await waitFor(() => published().at(-1) === 'offline', 'the intercom offline once unplugged');
    expect(published()).toEqual(['offline', 'online', 'offline']);
    expect(gateway.exitCode).toBeNull();
    gateway.kill('SIGTERM');
    expect(await exit).toBe(0);
    const written = readFileSync(join(WORK, 'intercom2mqtt.log'), 'utf8');
    expect(written).toContain('intercom2mqtt.core INFO: device "intercom" is available');
  } catch (err) {
    throw new Error(`${(err as Error).message}\ngateway log:\n${log()}`);
  } finally {
    gateway.kill('SIGKILL');
    await client.end();
    server.close();
    intercom?.destroy();
    await sweepRetained([`${root}/#`]);
  }
});
