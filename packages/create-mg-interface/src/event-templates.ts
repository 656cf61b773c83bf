// The files of an event-driven interface package: a device on @mg/device-io's line transport,
// a simulated device, and tests with the testing kit.
import type { Names } from './names.js';

/** Event mode: the device on a line transport that reconnects by itself; commands in the background. */
export function eventInterface(n: Names): string {
  const gateway = n.className.replace(/Interface$/, '');
  return `import { string } from '@mg/core/options';
import { InternalMessage, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { LineTransport } from '@mg/device-io';

/** The [INTERFACE] options: they type ctx.options, and --check validates them. */
const options = {
  port: string('', 'The device: tcp://host:port, or a serial port.', { required: 'give the device address, e.g. "port: tcp://192.168.1.50:4001"' }),
};

/**
 * The ${n.name} interface, event-driven: the device is a line transport (\`@mg/device-io\`) that
 * connects, and reconnects after any loss, by itself; commands from MQTT are sent in the
 * background and answered when the device confirms. Replace the marked parts with the device's
 * protocol (here: it answers "OK <command>" and reports "STATE <action>").
 */
export class ${n.className} implements GatewayInterface {
  static readonly options = options;
  private readonly device: LineTransport;

  // Only options here: device I/O belongs in start().
  constructor(private readonly ctx: InterfaceContext<typeof options>) {
    this.device = new LineTransport({ address: ctx.options.port, name: '${n.name}', framing: { terminator: '\\n' } });
  }

  start(): void {
    this.device.on('state', (s) => {
      if (s.state === 'connected') this.ctx.logger.info(\`connected to \${this.ctx.options.port}\`);
      if (s.state === 'disconnected') this.ctx.logger.warn(\`${n.name}: \${s.reason}; next attempt in \${s.retryInMs} ms\`);
    });
    // A device callback: what it throws is counted and logged, never fatal.
    this.device.on('line', this.ctx.contain('device line', (line: string) => this.onLine(line.trim())));
    this.device.start(this.ctx.signal);
    void this.commands(); // in the background: start() resolves now
  }

  async stop(): Promise<void> {
    await this.device.stop();
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

/** A simulated ${n.name} device on 127.0.0.1: answers "OK <command>", and can report a state. */
export class DeviceSim {
  readonly received: string[] = [];
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

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
        socket.write(\`OK \${line}\\n\`);
      }
    });
  }
}
`;
}

/** Event mode's tests: the interface through a gateway in memory (the kit) and the simulated device. */
export function eventTest(n: Names): string {
  return `import { join } from 'node:path';
import { createTestContext, createTestGateway } from '@mg/core/testing';
import { ${n.className} } from './${n.module}.js';
import { DeviceSim } from './test-support/device-sim.js';

// The testing kit: the interface through a whole gateway in memory (map included), no broker;
// the device is simulated on a real TCP socket.
const gateway = (port: string) =>
  createTestGateway(${n.className}, {
    appName: '${n.app}',
    options: { port },
    mqtt: { mapping: true, mapfilename: join(__dirname, '..', '${n.name}.map.json') },
  });

let sim: DeviceSim;
beforeEach(async () => (sim = await DeviceSim.start()));
afterEach(() => sim.close());

describe('${n.className}', () => {
  it('refuses to start without [INTERFACE] port, saying what to put there', () => {
    expect(() => createTestContext(${n.className}, {})).toThrow('[INTERFACE] port: is required: give the device address');
  });

  it('sends a command from MQTT to the device and replies once the device confirms', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    await new Promise((r) => setTimeout(r, 200)); // the transport connects
    await gw.receive('home/lighting/${n.name}/kitchen/lamp/me/C', 'light_on');
    const reply = await gw.waitFor((m) => m.topic === 'home/lighting/${n.name}/kitchen/lamp/${n.app}/S');
    expect(JSON.parse(reply.payload)).toEqual({ action: 'light_on', response: 'OK', reason: 'LIGHT_ON done' });
    expect(sim.received).toEqual(['LIGHT_ON']);
    await gw.stop();
  });

  it('publishes what the device reports', async () => {
    const gw = gateway(sim.address);
    await gw.start();
    await new Promise((r) => setTimeout(r, 200));
    sim.report('STATE LIGHT_OFF');
    const status = await gw.waitFor((m) => m.payload === 'light_off');
    expect(status.topic).toBe('home/lighting/${n.name}/kitchen/lamp/${n.app}/S');
    await gw.stop();
  });

  it('stays up when the device is absent, and answers with an ERROR reply', async () => {
    await sim.close();
    const gw = gateway(sim.address);
    await gw.start();
    await gw.receive('home/lighting/${n.name}/kitchen/lamp/me/C', 'light_on');
    const reply = await gw.waitFor((m) => m.topic.endsWith('/${n.app}/S'));
    expect(JSON.parse(reply.payload)).toMatchObject({ action: 'light_on', response: 'ERROR' });
    await gw.stop();
    sim = await DeviceSim.start(); // for afterEach
  });
});
`;
}
