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
  return `import { address, number } from '@mg/core/options';
import { InternalMessage, type DeviceInput, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { LineTransport, PollScheduler, type AnswerPatterns } from '@mg/device-io';

/** The [INTERFACE] options: they type ctx.options, and --check validates them (with file and line). */
const options = {
  port: address('tcp://127.0.0.1:4001', 'The device: tcp://host:port (host:port will do), or a serial port.'),
  interval: number(30, 'Seconds between two status queries.', { min: 1 }),
  reconnectmin: number(1, 'Seconds before trying the device again once it is gone (doubling after each failure).', { min: 0.05 }),
  reconnectmax: number(30, 'Longest delay between two attempts to reach the device, in seconds.', { min: 0.1 }),
};

// TODO: the device's protocol. Here it answers a command "OK", "ERR BUSY" (try again) or
// "ERR <why>", answers "STATUS?" with "STATE <action>", and reports "STATE <action>" by itself.
/** What the device answers to a command: an acceptance, a refusal (its words in \`reason\`), "busy". */
const ANSWERS: AnswerPatterns = { ok: /^OK$/, busy: /^ERR BUSY$/, refused: /^ERR (?<reason>.+)$/ };
/** The line each command sends. */
const COMMANDS = new Map([['LIGHT_ON', 'LIGHT ON'], ['LIGHT_OFF', 'LIGHT OFF']]); // a Map: an action such as "constructor" finds nothing
const STATE = /^STATE (?<action>\\w+)$/;

/** The device's id: its availability topic, poll requests and the conventions name it. */
const LAMP = 'lamp';

/**
 * The ${n.name} interface, event-driven. The framework does the device's chores: the line
 * transport (\`@mg/device-io\`) connects, and reconnects after any loss, by itself; the gateway
 * publishes the device's availability (online while connected); the status query runs on a poll
 * scheduler (every \`interval\`, at each connection, after each command, and when MQTT asks on
 * [MQTT] polltopic); \`ask()\` sends a command and sorts its answer, retrying while the device is
 * busy, and \`replyWith()\` turns the outcome into the OK or ERROR reply.
 */
export class ${n.className} implements GatewayInterface {
  static readonly options = options;
  private readonly device: LineTransport;
  private readonly polls: PollScheduler;

${describeMethod('LAMP')}
  // Only options here: device I/O belongs in start().
  constructor(private readonly ctx: InterfaceContext<typeof options>) {
    const { port, reconnectmin, reconnectmax } = ctx.options;
    this.device = new LineTransport({ address: port, name: '${n.name}', reconnect: { minMs: reconnectmin * 1000, maxMs: reconnectmax * 1000 } });
    this.polls = new PollScheduler({ logger: ctx.logger });
  }

  start(): void {
    const { devices, options, signal } = this.ctx;
    devices.follow(LAMP, this.device); // online while connected, offline while away (the gateway logs it)
    // The status query, with the port as its bus (one request at a time there); a device that
    // stops answering is backed off: its polls are skipped, for growing delays.
    const poll = async (signal: AbortSignal) => this.onLine(await this.device.request('STATUS?', { match: STATE, signal }));
    this.polls.add(options.port, { device: LAMP, id: 'status', intervalMs: options.interval * 1000, poll });
    this.device.on('state', (s) => s.state === 'connected' && this.polls.pollNow()); // at each connection: what changed while away
    devices.onPoll((device) => this.polls.pollNow(device)); // a poll request from MQTT, for one device or all
    // A device callback: what it throws is counted and logged, never fatal.
    this.device.on('line', this.ctx.contain('${n.name} line', this.onLine));
    this.device.start(signal);
    this.polls.start(signal);
    void this.commands(); // in the background: start() resolves now
  }

  async stop(): Promise<void> {
    await this.polls.stop();
    await this.device.stop();
  }

  private async commands(): Promise<void> {
    for await (const msg of this.ctx.incoming.until(this.ctx.signal)) {
      if (!msg.isCmd) continue;
      // What send() throws (an unknown action, a bad argument) is an ERROR reply, not the end of this loop.
      const outcome = await this.send(msg).catch((err: Error) => ({ ok: false as const, reason: err.message }));
      this.ctx.outgoing.push(msg.replyWith(outcome)); // OK, or ERROR with why: refused, busy, no answer, not connected
      if (outcome.ok) this.polls.pollNow(LAMP); // what the command changed
    }
  }

  /** Sends the command's line; an unknown action or a bad argument throws, worded for the sender (msg.heard: their words). */
  private async send(msg: InternalMessage) {
    const line = COMMANDS.get(msg.action);
    if (!line) throw new Error(\`\${msg.heard.action} is not a command of the lamp\`);
    // TODO: a command with arguments: msg.argument('level', { type: 'number', required: true }) throws, worded for the sender.
    return this.device.ask(line, ANSWERS);
  }

  private readonly onLine = (line: string): void => {
    const action = STATE.exec(line)?.groups?.action;
    if (action) this.ctx.outgoing.push(new InternalMessage({ function: 'Lighting', gateway: '${gateway}', location: 'Kitchen', device: 'lamp', action }));
  };
}
`;
}

/** A simulated device for the tests: a TCP server speaking the template's line protocol. */
export function deviceSim(n: Names): string {
  return `import { createServer, type Server, type Socket } from 'node:net';

/**
 * A simulated ${n.name} device on 127.0.0.1: answers "STATUS?" with "STATE <state>", "LIGHT ON" and
 * "LIGHT OFF" with "OK" (or "ERR BUSY" while told to be busy, "ERR <why>" when told to refuse),
 * anything else with "ERR UNKNOWN COMMAND", and can report a state by itself.
 */
export class DeviceSim {
  readonly received: string[] = [];
  /** What "STATUS?" answers: a test may change it without a report, as a hand on the device would. */
  state = 'LIGHT_OFF';
  /** How many commands to answer "ERR BUSY" before carrying one out. */
  busy = 0;
  /** Set: the next command is refused, answered "ERR <refusal>". */
  refusal: string | undefined;
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
        socket.write(\`\${this.answer(line)}\\n\`);
      }
    });
  }

  private answer(line: string): string {
    if (line === 'STATUS?') return \`STATE \${this.state}\`;
    if (line !== 'LIGHT ON' && line !== 'LIGHT OFF') return 'ERR UNKNOWN COMMAND';
    if (this.busy > 0) {
      this.busy -= 1;
      return 'ERR BUSY';
    }
    if (this.refusal) {
      const why = this.refusal;
      this.refusal = undefined;
      return \`ERR \${why}\`;
    }
    this.state = line.replace(' ', '_');
    return 'OK';
  }
}
`;
}
