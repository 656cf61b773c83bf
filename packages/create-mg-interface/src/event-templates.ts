// The files of an event-driven interface package: a device on @mg/device-io's line transport
// and poll scheduler, and a simulated device (its tests: event-test-template.ts).
import { describeMethod } from './describe-template.js';
import type { Names } from './names.js';

/**
 * Event mode: the device on a line transport that reconnects by itself, declared (describe()) so
 * that the gateway publishes its availability and conventions see it; its status query on a
 * poll scheduler; commands in the background.
 */
export function eventInterface(n: Names): string {
  const gateway = n.className.replace(/Interface$/, '');
  return `import { number, string } from '@mg/core/options';
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { LineTransport, PollScheduler } from '@mg/device-io';

/** The [INTERFACE] options: they type ctx.options, and --check validates them. */
const options = {
  port: string('', 'The device: tcp://host:port, or a serial port.', { required: 'give the device address, e.g. "port: tcp://192.168.1.50:4001"' }),
  interval: number(30, 'Seconds between two status queries.', { min: 1 }),
};

/** The device's id: its availability topic, poll requests and the conventions name it. */
const LAMP = 'lamp';

/**
 * The ${n.name} interface, event-driven. The framework does the device's chores: the line
 * transport (\`@mg/device-io\`) connects, and reconnects after any loss, by itself; the gateway
 * publishes the device's availability (online while connected); the status query runs on a poll
 * scheduler (every \`interval\`, at each connection, and when MQTT asks on [MQTT] polltopic).
 * What is left is the device's protocol: replace the marked parts (here the device answers
 * "OK <command>", answers "STATUS?" with "STATE <action>", and reports "STATE <action>").
 */
export class ${n.className} implements GatewayInterface {
  static readonly options = options;
  private readonly device: LineTransport;
  private readonly polls: PollScheduler;

${describeMethod('LAMP')}
  // Only options here: device I/O belongs in start().
  constructor(private readonly ctx: InterfaceContext<typeof options>) {
    this.device = new LineTransport({ address: ctx.options.port, name: '${n.name}', framing: { terminator: '\\n' } });
    this.polls = new PollScheduler({ logger: ctx.logger });
  }

  start(): void {
    const { devices, options } = this.ctx;
    devices.follow(LAMP, this.device); // online while connected, offline while away (the gateway logs it)
    // The status query, with the port as its bus (one request at a time there); a device that
    // stops answering is backed off: its polls are skipped, for growing delays.
    this.polls.add(options.port, { device: LAMP, id: 'status', intervalMs: options.interval * 1000, poll: (signal) => this.readStatus(signal) });
    this.device.on('state', (s) => {
      if (s.state === 'connected') this.polls.pollNow(); // at each connection: what changed while away
      if (s.state === 'disconnected') this.ctx.logger.warn(\`${n.name}: \${s.reason}; next attempt in \${s.retryInMs} ms\`); // once per outage
    });
    devices.onPoll((device) => this.polls.pollNow(device)); // a poll request from MQTT, for one device or all
    // A device callback: what it throws is counted and logged, never fatal.
    this.device.on('line', this.ctx.contain('device line', (line: string) => this.onLine(line.trim())));
    this.device.start(this.ctx.signal);
    this.polls.start(this.ctx.signal);
    void this.commands(); // in the background: start() resolves now
  }

  async stop(): Promise<void> {
    await this.polls.stop();
    await this.device.stop();
  }

  /** The status query; the answer is published like a report. */
  private async readStatus(signal: AbortSignal): Promise<void> {
    // TODO: the device's query, and what its answer looks like.
    const answer = await this.device.request('STATUS?', { match: /^STATE /, signal });
    this.onLine(answer.trim());
  }

  private async commands(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) {
      if (!msg.isCmd) continue;
      // TODO: the device's command for msg.action (and its arguments: msg.argument('level', { type: 'number' })).
      try {
        await this.device.request(msg.action, { match: (line) => line === \`OK \${msg.action}\`, timeoutMs: 2_000 });
        this.ctx.outgoing.push(msg.reply('OK', \`\${msg.action} done\`));
      } catch (err) {
        this.ctx.outgoing.push(msg.reply('ERROR', (err as Error).message));
      }
    }
  }

  private onLine(line: string): void {
    // TODO: what the device reports.
    const m = /^STATE (\\w+)$/.exec(line);
    if (!m) return;
    this.ctx.outgoing.push(new InternalMessage({ function: 'Lighting', gateway: '${gateway}', location: 'Kitchen', device: 'lamp', action: m[1] }));
  }
}
`;
}

/** A simulated device for the tests: a TCP server speaking the template's line protocol. */
export function deviceSim(n: Names): string {
  return `import { createServer, type Server, type Socket } from 'node:net';

/**
 * A simulated ${n.name} device on 127.0.0.1: answers "STATUS?" with "STATE <state>", any other
 * line with "OK <line>" (LIGHT_ON and LIGHT_OFF set the state), and can report a state by itself.
 */
export class DeviceSim {
  readonly received: string[] = [];
  /** What "STATUS?" answers: a test may change it without a report, as a hand on the device would. */
  state = 'LIGHT_OFF';
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on \`port\` (any free one by default; the same one again to play a device back on its address). */
  static async start(port = 0): Promise<DeviceSim> {
    let sim: DeviceSim | undefined;
    const server = createServer((socket) => sim!.accept(socket));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    sim = new DeviceSim(server, (server.address() as { port: number }).port);
    return sim;
  }

  get address(): string {
    return \`tcp://127.0.0.1:\${this.port}\`;
  }

  /** Sends a line to every connected gateway, as the device would report a change. */
  report(line: string): void {
    for (const s of this.sockets) s.write(\`\${line}\\n\`);
  }

  /** The device goes away: its connections are cut and it listens no more. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    let buffer = '';
    socket.on('data', (data: Buffer) => {
      buffer += data.toString('latin1');
      for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        this.received.push(line);
        if (line === 'LIGHT_ON' || line === 'LIGHT_OFF') this.state = line;
        socket.write(line === 'STATUS?' ? \`STATE \${this.state}\\n\` : \`OK \${line}\\n\`);
      }
    });
  }
}
`;
}
