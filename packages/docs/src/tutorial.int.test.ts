import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connectClient, SHARED_BROKER_URL, spawnNode, sweepRetained, uniqueRoot, waitFor, type Received } from '@mg/test-helpers';
import { codeBlocks, type CodeBlock } from './code-blocks.js';

// Builds the gateway of docs/tutorial.md from its code blocks, compiles it with the repository's
// TypeScript settings, runs its test, and runs it, and serial2mqtt with its profile, against a
// simulated pool controller and the broker. The blocks must be the example package's files, and
// the generator must make what the tutorial says it makes.
const REPO = join(__dirname, '..', '..', '..');
const TUTORIAL = join(REPO, 'docs', 'tutorial.md');
const EXAMPLE = join(REPO, 'packages', 'example-pool');
// Inside the package, so @mg/core resolves; not a hidden folder, which jest would not search.
const WORK = join(__dirname, '..', 'tutorial-build');
const markdown = readFileSync(TUTORIAL, 'utf8');
const blocks = codeBlocks(markdown);
const block = (file: string): CodeBlock => blocks.find((b) => b.file === file)!;

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
function run(script: string, args: string[], cwd = WORK): string {
  try {
    return execFileSync(process.execPath, [script, ...args], { stdio: 'pipe', cwd }).toString();
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${script} ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

/** A JSON file without its $schema, which points elsewhere in the repository than in a user's package. */
const withoutSchema = (text: string): unknown => ({ ...(JSON.parse(text) as Record<string, unknown>), $schema: undefined });

it('names a file for every code block that is part of the gateway', () => {
  expect(blocks.filter((b) => b.file).map((b) => b.file)).toEqual([
    'src/pool-interface.ts',
    'src/launcher.ts',
    'pool2mqtt.conf',
    'pool.map.json',
    'src/pool-interface.test.ts',
    'pool2mqtt.service',
    'pool.profile.json',
    'pool2mqtt-profile.conf',
  ]);
  expect(blocks.filter((b) => b.lang === 'ts' && !b.file)).toEqual([]);
});

it('shows the example package’s interface, configuration, map and profile as they are', () => {
  const example = (file: string) => readFileSync(join(EXAMPLE, file), 'utf8');
  expect(block('src/pool-interface.ts').code).toBe(example('src/pool-interface.ts'));
  expect(block('pool2mqtt.conf').code).toBe(example('pool2mqtt.conf'));
  expect(block('pool2mqtt-profile.conf').code).toBe(example('pool2mqtt-profile.conf'));
  expect(withoutSchema(block('pool.map.json').code)).toEqual(withoutSchema(example('pool.map.json')));
  expect(withoutSchema(block('pool.profile.json').code)).toEqual(withoutSchema(example('pool.profile.json')));
});

it('says what the generator prints and makes: "npm create mg-interface pool2mqtt" makes pool2mqtt, never pool2mqtt2mqtt', () => {
  const cli = join(require.resolve('create-mg-interface/package.json'), '..', 'dist', 'cli.js');
  const cwd = mkdtempSync(join(tmpdir(), 'mg-tutorial-gen-'));
  try {
    const shown = blocks.find((b) => b.lang === 'text' && b.code.includes('is the application'))!.code;
    expect(run(cli, ['pool2mqtt'], cwd)).toBe(shown);
    const files = readdirSync(join(cwd, 'pool2mqtt'), { recursive: true }).map(String);
    expect(files).toEqual(expect.arrayContaining(['src/pool-interface.ts', 'src/launcher.ts', 'pool2mqtt.conf', 'pool.map.json', 'pool2mqtt.service']));
    expect(files.join(' ')).not.toMatch(/2mqtt2mqtt/);
    // The profile route (section 8), in a directory of its own.
    const profileDir = join(cwd, 'profile');
    mkdirSync(profileDir);
    run(cli, ['pool2mqtt', '--profile'], profileDir);
    expect(readdirSync(join(profileDir, 'pool2mqtt')).sort()).toEqual([
      'README.md',
      'package.json',
      'pool.map.json',
      'pool.profile.json',
      'pool2mqtt.conf',
      'pool2mqtt.service',
    ]);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

/**
 * The pool controller on 127.0.0.1, as the tutorial describes it: one client at a time, `ERR BUSY`
 * once when told (`busyOnce`), setpoints from 10 to 35, the pump locked while an alarm is raised.
 */
class Controller {
  readonly heard: string[] = [];
  busyOnce = false;
  alarm = '';
  temp = 27.5;
  private client: Socket | undefined;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<Controller> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const c = new Controller(server, (server.address() as { port: number }).port);
    server.on('connection', (s) => c.accept(s));
    return c;
  }

  raiseAlarm(text: string): void {
    this.alarm = text;
    this.client?.write(`ALARM ${text}\n`);
  }

  async close(): Promise<void> {
    this.client?.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(s: Socket): void {
    if (this.client) return void s.destroy(); // its one client slot is taken
    this.client = s;
    s.on('close', () => (this.client = undefined));
    s.on('error', () => undefined);
    let buffer = '';
    s.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        this.heard.push(line);
        s.write(`${this.answer(line)}\n`);
      }
    });
  }

  private answer(line: string): string {
    if (line === 'STATUS?') return `STATUS PUMP=OFF TEMP=${this.temp.toFixed(1)} SETPOINT=28.0`;
    if (this.busyOnce) {
      this.busyOnce = false;
      return 'ERR BUSY';
    }
    const setpoint = /^SETPOINT (.+)$/.exec(line)?.[1];
    if (setpoint !== undefined) return Number(setpoint) >= 10 && Number(setpoint) <= 35 ? 'OK' : 'ERR SETPOINT OUT OF RANGE 10-35';
    if (line === 'PUMP ON' && this.alarm) return `ERR PUMP LOCKED BY ALARM ${this.alarm}`;
    return line === 'PUMP ON' || line === 'PUMP OFF' ? 'OK' : 'ERR UNKNOWN COMMAND';
  }
}

it('compiles, its unit test passes, and --check refuses a bad address with the file and line', () => {
  run(require.resolve('typescript/bin/tsc'), ['-p', join(WORK, 'tsconfig.json')]);
  // The tutorial's own test (the testing kit, no broker), compiled, run by jest as it is.
  run(require.resolve('jest/bin/jest'), ['--ci', '--config', JSON.stringify({ rootDir: WORK, testRegex: 'dist/.*\\.test\\.js$' })]);
  const conf = join(WORK, 'pool2mqtt.conf');
  expect(run(join(WORK, 'dist', 'launcher.js'), ['--check', '-c', conf])).toContain(`configuration file: ${conf}`);
  const bad = join(WORK, 'bad.conf');
  writeFileSync(bad, readFileSync(conf, 'utf8').replace('port: tcp://127.0.0.1:4001', 'port: tcp://127.0.0.1:abc'));
  // What section 4 shows, word for word.
  const shown = blocks.find((b) => b.lang === 'text' && b.code.includes('invalid configuration'))!.code.trim();
  expect(() => run(join(WORK, 'dist', 'launcher.js'), ['--check', '-c', bad])).toThrow(shown.replace('/etc/pool2mqtt/pool2mqtt.conf', bad));
});

const ROUTES = {
  'pool2mqtt (section 2)': { launcher: () => join(WORK, 'dist', 'launcher.js'), conf: 'pool2mqtt.conf' },
  'serial2mqtt with the profile (section 8)': {
    launcher: () => join(require.resolve('@mg/interface-serial/package.json'), '..', 'dist', 'launcher.js'),
    conf: 'pool2mqtt-profile.conf',
  },
};

describe.each(Object.entries(ROUTES))('%s, against the controller and a broker', (_route, { launcher, conf }) => {
  it('reads three statuses from one line, retries a busy command, relays a refusal, and follows a restart', async () => {
    // Its own root on the shared broker; the map is the tutorial's otherwise.
    const root = uniqueRoot('tut');
    const mapPath = join(WORK, `${root}.map.json`);
    writeFileSync(mapPath, block('pool.map.json').code.replace(/"home/g, `"${root}`));
    let controller = await Controller.start();
    const client = await connectClient(SHARED_BROKER_URL);
    await client.subscribe(`${root}/#`);
    const { hostname, port } = new URL(SHARED_BROKER_URL);
    const env = {
      ...process.env,
      MG_INTERFACE_PORT: `127.0.0.1:${controller.port}`, // host:port: the address option adds tcp://
      MG_INTERFACE_RECONNECTMIN: '0.1',
      MG_MQTT_HOST: hostname,
      MG_MQTT_PORT: port || '1883',
      MG_MQTT_MAPFILENAME: mapPath,
    };
    const gw = spawnNode(launcher(), ['-c', join(WORK, conf)], { cwd: WORK, env });
    const statusTopic = (m: Received) => m.topic.startsWith(`${root}/pool//garden/controller/`) && m.topic.endsWith('/S');
    const fields = (m: Received): Record<string, unknown> => (m.payload.startsWith('{') ? (JSON.parse(m.payload) as Record<string, unknown>) : {});
    const status = (want: Record<string, unknown>, from: number) =>
      client.waitFor(
        (m) => client.messages.indexOf(m) >= from && statusTopic(m) && Object.entries(want).every(([k, v]) => fields(m)[k] === v),
        JSON.stringify(want),
      );
    const availability = `${root}/pool2mqtt/pool/availability`;
    try {
      await Promise.all([
        status({ action: 'pump', value: 'off' }, 0),
        status({ action: 'temp', value: 27.5 }, 0),
        status({ action: 'setpoint', value: 28 }, 0),
      ]);
      await client.waitFor((m) => m.topic === availability && m.payload === 'online', 'the pool online');
      const command = `${root}/pool//garden/controller/me/C`;
      controller.busyOnce = true;
      let from = client.messages.length;
      await client.publish(command, 'pump_on');
      expect(fields(await status({ action: 'pump_on' }, from))).toMatchObject({ response: 'OK' });
      expect(controller.heard.filter((l) => l === 'PUMP ON')).toHaveLength(2);
      from = client.messages.length;
      controller.raiseAlarm('LOW WATER');
      await status({ action: 'alarm', value: 'LOW WATER' }, from);
      await client.publish(command, 'pump_on');
      const refused = fields(await status({ action: 'pump_on', response: 'ERROR' }, from));
      expect(refused.reason).toMatch(/PUMP LOCKED BY ALARM LOW WATER/);
      // The controller restarts: offline, then online, its status read again.
      from = client.messages.length;
      await controller.close();
      await client.waitFor((m) => client.messages.indexOf(m) >= from && m.topic === availability && m.payload === 'offline', 'the pool offline');
      controller = await Controller.start(controller.port);
      controller.temp = 24.5;
      await status({ action: 'temp', value: 24.5 }, from);
      await client.waitFor((m) => client.messages.indexOf(m) >= from && m.topic === availability && m.payload === 'online', 'the pool online again');
      gw.child.kill('SIGTERM');
      expect(await gw.exit).toBe(0);
    } catch (err) {
      throw new Error(`${(err as Error).message}\ngateway output:\n${gw.output()}`);
    } finally {
      gw.child.kill('SIGKILL');
      await waitFor(() => gw.child.exitCode !== null || gw.child.signalCode !== null, 'the gateway to end');
      await client.end();
      await controller.close();
      await sweepRetained([`${root}/#`]);
    }
  }, 60_000);
});
