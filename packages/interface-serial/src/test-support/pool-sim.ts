import net from 'node:net';
import { SerialPort } from 'serialport';
import { startSocatPair, type SocatPair } from '@mg/test-helpers';

/** The state of the simulated pool controller. */
export interface PoolState {
  pump: 'ON' | 'OFF';
  temperature: string;
  setpoint: string;
}

/**
 * A pool controller on real I/O (a TCP server on 127.0.0.1, or the device end of a socat pty
 * pair), lines ended by "\n": `PUMP ON|OFF` and `SETPOINT <10..35>` answered `OK` or
 * `ERR <why>`, `STATUS?` answered `STATUS PUMP=.. TEMP=.. SETPOINT=..`, `ALARM?` with
 * `ALARM NONE`; `busy` makes the next commands answer `ERR BUSY`. It can be unplugged and
 * plugged back in on the same address, and records what it received.
 */
export class PoolSim {
  readonly received: string[] = [];
  readonly state: PoolState = { pump: 'OFF', temperature: '27.5', setpoint: '28.0' };
  /** How many of the next commands are answered `ERR BUSY`. */
  busy = 0;
  private server: net.Server | undefined;
  private port = 0;
  private readonly sockets = new Set<net.Socket>();
  private pair: SocatPair | undefined;
  private serial: SerialPort | undefined;
  private readonly pending = new Map<object, string>();

  private constructor(private readonly link: 'tcp' | 'pty') {}

  static async start(link: 'tcp' | 'pty' = 'tcp'): Promise<PoolSim> {
    const sim = new PoolSim(link);
    await sim.plugIn();
    return sim;
  }

  /** What the gateway's `port` is. */
  get address(): string {
    return this.link === 'tcp' ? `tcp://127.0.0.1:${this.port}` : this.pair!.a;
  }

  /** How many times it received `line`, from `from` (an index into received) on. */
  got(line: string, from = 0): number {
    return this.received.slice(from).filter((r) => r === line).length;
  }

  /** A line of its own (a temperature change, an alarm). */
  send(line: string): void {
    for (const socket of this.sockets) socket.write(`${line}\n`);
    if (this.serial?.isOpen) this.serial.write(`${line}\n`);
  }

  /** Unplugged: connections closed and refused, the pty gone. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    const serial = this.serial;
    this.serial = undefined;
    // Closed before socat goes, as DenonSim does (serialport/bindings-cpp#162).
    if (serial?.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
    await this.pair?.kill();
    this.pending.clear();
  }

  /** Plugged back in, on the same address. */
  async restart(): Promise<void> {
    await this.stop();
    await this.plugIn();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.pair?.close();
  }

  private async plugIn(): Promise<void> {
    if (this.link === 'tcp') {
      const server = net.createServer((socket) => {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('data', (chunk: Buffer) => this.receive(socket, chunk, (text) => !socket.destroyed && socket.write(text)));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, '127.0.0.1', () => resolve());
      });
      this.port = (server.address() as net.AddressInfo).port;
      this.server = server;
      return;
    }
    const listen = async (path: string) => {
      const serial = new SerialPort({ path, baudRate: 9600, autoOpen: false });
      serial.on('data', (chunk: Buffer) => this.receive(serial, chunk, (text) => serial.isOpen && serial.write(text)));
      serial.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => serial.open((err) => (err ? reject(err) : resolve())));
      this.serial = serial;
    };
    if (this.pair) await this.pair.restart(listen);
    else this.pair = await startSocatPair(listen);
  }

  private receive(link: object, chunk: Buffer, write: (text: string) => unknown): void {
    let pending = (this.pending.get(link) ?? '') + chunk.toString('latin1');
    let end: number;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
      this.received.push(line);
      const answer = this.answer(line);
      if (answer !== undefined) write(`${answer}\n`);
    }
    this.pending.set(link, pending.slice(-4096));
  }

  private answer(line: string): string | undefined {
    const s = this.state;
    if (line === 'STATUS?') return `STATUS PUMP=${s.pump} TEMP=${s.temperature} SETPOINT=${s.setpoint}`;
    if (line === 'ALARM?') return 'ALARM NONE';
    if (this.busy > 0) {
      this.busy -= 1;
      return 'ERR BUSY';
    }
    const pump = /^PUMP (ON|OFF)$/.exec(line);
    if (pump) {
      s.pump = pump[1] as 'ON' | 'OFF';
      return 'OK';
    }
    const setpoint = /^SETPOINT (\S+)$/.exec(line);
    if (setpoint) {
      const n = Number(setpoint[1]);
      if (!(n >= 10 && n <= 35)) return 'ERR OUT OF RANGE';
      s.setpoint = n.toFixed(1);
      return 'OK';
    }
    return 'ERR UNKNOWN COMMAND';
  }
}
