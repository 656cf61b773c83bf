import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';

/** What the simulated controller tells its tests. */
type PoolSimEvents = {
  /** A line it received from its client, trimmed. */
  line: [line: string];
  /** A client took the one slot. */
  connected: [];
  /** A second client was turned away (accepted, then closed at once). */
  turnedAway: [];
};

/**
 * A simulated pool controller on 127.0.0.1, written from the protocol of issue 23: `PUMP ON`,
 * `PUMP OFF` and `SETPOINT <n>` (10 to 35) answered `OK` or `ERR <why>` (`ERR BUSY` when told
 * to be busy; `PUMP ON` is refused while an alarm is raised), `STATUS?` answered `STATUS PUMP=ON TEMP=27.5 SETPOINT=28.0`, lines ended by
 * `\n` (it takes `\r\n` too). One client at a time: a second connection is accepted and closed at
 * once. It drops out when told to, and can be closed and started again on the same port.
 */
export class PoolSim extends EventEmitter<PoolSimEvents> {
  /** Every line received, in order. */
  readonly received: string[] = [];
  pump: 'ON' | 'OFF' = 'OFF';
  temp = 27.5;
  setpoint = 28;
  /** A raised alarm: the pump is locked off until it is cleared. */
  alarm: string | undefined;
  /** Connections turned away since it started. */
  turnedAway = 0;
  private client: Socket | undefined;
  private busyFor = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    super();
  }

  /** Listens on `port` (a free one by default; the same one again to come back on its address). */
  static async start(port = 0): Promise<PoolSim> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const sim = new PoolSim(server, (server.address() as { port: number }).port);
    server.on('connection', (socket) => sim.accept(socket));
    return sim;
  }

  get address(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** Whether a client holds the slot. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** The next `commands` commands (not queries) are answered `ERR BUSY`. */
  busy(commands: number): void {
    this.busyFor = commands;
  }

  /** Sends a line by itself (`TEMP 27.8`, `ALARM LOW WATER`), as the controller does. */
  report(line: string): void {
    this.client?.write(`${line}\n`);
  }

  /** Raises an alarm (reported at once, as the controller does): `PUMP ON` is refused until it is cleared. */
  raiseAlarm(text: string): void {
    this.alarm = text;
    this.report(`ALARM ${text}`);
  }

  /** The line `STATUS?` is answered with. */
  statusLine(): string {
    return `STATUS PUMP=${this.pump} TEMP=${this.temp.toFixed(1)} SETPOINT=${this.setpoint.toFixed(1)}`;
  }

  /** Drops out: the client's connection is cut (the controller goes on listening). */
  dropOut(): void {
    this.client?.destroy();
  }

  /** Resolves once a client holds the slot (at once if one does). */
  whenConnected(): Promise<void> {
    return this.connected ? Promise.resolve() : new Promise((resolve) => this.once('connected', resolve));
  }

  /** Resolves once `line` is received (counting from now). */
  whenReceived(line: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (l: string) => {
        if (l !== line) return;
        this.off('line', listener);
        resolve();
      };
      this.on('line', listener);
    });
  }

  /** Goes away: the client is cut and nothing listens on its port any more. */
  async close(): Promise<void> {
    this.client?.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(socket: Socket): void {
    if (this.client) {
      this.turnedAway += 1;
      socket.destroy();
      this.emit('turnedAway');
      return;
    }
    this.client = socket;
    socket.on('close', () => {
      if (this.client === socket) this.client = undefined;
    });
    socket.on('error', () => undefined); // a reset by the peer: the close that follows is enough
    let buffer = '';
    socket.on('data', (data: Buffer) => {
      buffer += data.toString('latin1');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        this.received.push(line);
        socket.write(`${this.answer(line)}\n`);
        this.emit('line', line);
      }
    });
    this.emit('connected');
  }

  private answer(line: string): string {
    if (line === 'STATUS?') return this.statusLine();
    const command = /^(?:PUMP (?<pump>ON|OFF)|SETPOINT (?<setpoint>\S+))$/.exec(line)?.groups;
    if (!command) return 'ERR UNKNOWN COMMAND';
    if (this.busyFor > 0) {
      this.busyFor -= 1;
      return 'ERR BUSY';
    }
    if (command.pump === 'ON' && this.alarm) return `ERR PUMP LOCKED BY ALARM ${this.alarm}`;
    if (command.pump) this.pump = command.pump as 'ON' | 'OFF';
    if (command.setpoint !== undefined) {
      const value = Number(command.setpoint);
      if (!Number.isFinite(value)) return 'ERR NOT A NUMBER';
      if (value < 10 || value > 35) return 'ERR SETPOINT OUT OF RANGE 10-35';
      this.setpoint = value;
    }
    return 'OK';
  }
}
