import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsMqtt } from './mqtt-ready.js';
import { freePorts } from './ports.js';

export interface RabbitMqOptions {
  /** How long the start may take before it fails; default 60 s (about 12 s on a 2-core machine). */
  readyTimeoutMs?: number;
  /** More lines for rabbitmq.conf. */
  extraConfig?: string[];
}

export interface RabbitMq {
  /** The MQTT listener's port. */
  port: number;
  /** `mqtt://127.0.0.1:<port>` */
  url: string;
  /** The temp dir holding the config, the Mnesia and log dirs and the node's own Erlang cookie. */
  dir: string;
  /** The Erlang node name (`mg<pid><time>@localhost`), never the system node's. */
  nodeName: string;
  readonly output: string;
  /** Stops the node (SIGTERM, then SIGKILL after 20 s) and its private epmd. */
  stop(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
}

/**
 * The server script itself: Debian's /usr/sbin/rabbitmq-server switches to the `rabbitmq` user,
 * who cannot write a test's temp dir.
 */
export function rabbitmqServerBinary(): string {
  for (const p of ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/local/lib/rabbitmq/bin/rabbitmq-server']) if (existsSync(p)) return p;
  return 'rabbitmq-server';
}

/**
 * A private RabbitMQ node with the MQTT plugin, on free loopback ports, in its own temp dir: its
 * own node name, Erlang cookie and epmd, so it never meets a system RabbitMQ on the machine.
 */
export async function startRabbitMq(options: RabbitMqOptions = {}): Promise<RabbitMq> {
  const [port, amqpPort, distPort, epmdPort] = (await freePorts(4)) as [number, number, number, number];
  const nodeName = `mg${process.pid}${Date.now().toString(36)}@localhost`;
  const dir = mkdtempSync(join(tmpdir(), 'mg-rabbitmq-'));
  for (const sub of ['home', 'mnesia', 'log']) mkdirSync(join(dir, sub));
  const conf = join(dir, 'rabbitmq.conf');
  writeFileSync(
    conf,
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${port}`,
      'mqtt.allow_anonymous = true',
      'log.console = false',
      'log.file.level = warning',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_mqtt].\n');
  // An empty env file: the system's /etc/rabbitmq/rabbitmq-env.conf names the system node.
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  const env = {
    ...process.env,
    HOME: join(dir, 'home'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: conf,
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    // Its own epmd on its own port, stopped with the node (the shared one on 4369 would outlive the test).
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmdPort),
  };
  let output = '';
  // Its own process group: the script runs the Erlang VM as a child, and a kill must reach both.
  const child: ChildProcess = spawn(rabbitmqServerBinary(), [], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const running = () => child.exitCode === null && child.signalCode === null;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = () => (running() ? exit : Promise.resolve());
  const stop = async () => {
    if (running() && child.pid !== undefined) {
      // SIGTERM to the script stops RabbitMQ cleanly and waits for it.
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid!), 20_000);
      await exited();
      clearTimeout(timer);
      killGroup(child.pid); // anything the VM left behind
    }
    spawnSync('epmd', ['-kill'], { env, stdio: 'ignore', timeout: 5_000 });
  };
  const broker: RabbitMq = {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    nodeName,
    get output() {
      return output;
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const failed = await Promise.race([spawnError, exit.then(() => undefined), new Promise<null>((r) => setTimeout(() => r(null), 250))]);
      if (failed instanceof Error)
        throw new Error(`cannot run ${rabbitmqServerBinary()}: ${failed.message} (install the Debian package rabbitmq-server; .ci/run does)`);
      if (failed === undefined) throw new Error(`RabbitMQ exited during start: ${output.slice(-2_000)}`);
      if (await acceptsMqtt(broker.url, 2_000)) return broker;
      if (Date.now() > deadline) throw new Error(`RabbitMQ's MQTT listener not ready after ${timeoutMs} ms: ${output.slice(-2_000)}`);
    }
  } catch (err) {
    await broker.dispose();
    throw err;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
