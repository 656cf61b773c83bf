// A Modbus TCP or RTU server in a separate process, for the tests of @mg/interface-modbus: per-unit
// register banks, silence, exceptions, a request log, and a restart that keeps the registers.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkValues, unitState, type ModbusSimRequest, type ModbusSimTable, type ModbusSimUnit, type SimState } from './modbus-bank.js';
import type { ControlMessage, ServerMessage, StartMessage } from './modbus-sim-server.js';
import { freePort } from './ports.js';
import { startSocatPair, type SocatPair } from './socat.js';

export interface ModbusSimOptions {
  /** The simulated devices by unit id (1..247; 0 and 255 are for broadcast and "any"). */
  units: Record<number, ModbusSimUnit>;
  /** TCP port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Serves RTU on one end of a socat pty pair instead of TCP; `address` is the other end. */
  rtu?: boolean;
  /** RTU only: the line speed set on the device's end (default 9600). */
  baudRate?: number;
}

export interface ModbusSim {
  /** What the gateway connects to: 'tcp://127.0.0.1:<port>', or the gateway's pty path for RTU. */
  readonly address: string;
  /** Sets raw words (holding, input: 0..65535) or bits (coil, discrete) from `address`. */
  set(unit: number, table: ModbusSimTable, address: number, values: number[] | boolean[]): Promise<void>;
  read(unit: number, table: ModbusSimTable, address: number, count: number): Promise<number[] | boolean[]>;
  /** The unit stops answering (the client times out); the other units go on. */
  silence(unit: number, silent?: boolean): Promise<void>;
  /** Requests touching `where` (or every request to the unit) get this exception; code 0 clears it. */
  fail(unit: number, code: number, where?: { table: ModbusSimTable; address: number }): Promise<void>;
  /** Every request received since the start, oldest first (also those to silent units). */
  requests(): Promise<ModbusSimRequest[]>;
  /**
   * The first request, among those already received and then those to come, that `match`
   * accepts (filter on `at` to take only later ones); rejects after `timeoutMs` (default 10 s).
   */
  waitForRequest(match: (r: ModbusSimRequest) => boolean, timeoutMs?: number): Promise<ModbusSimRequest>;
  /** Kills the server process (-9) and starts it again on the same address with the registers kept. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const REPLY_TIMEOUT_MS = 10_000;
// Both from src/ (ts-jest) and from dist/, the server is the compiled file: it runs under plain node.
const SERVER = join(__dirname, '..', 'dist', 'modbus-sim-server.js');

/** One server process: started, asked, killed. */
class ServerProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';
  readonly exited: Promise<void>;

  constructor(onRequests: (entries: ModbusSimRequest[]) => void) {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: build @mg/test-helpers first (pnpm --filter @mg/test-helpers build)`);
    this.child = fork(SERVER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    this.child.on('message', (m: ServerMessage) => {
      if (m.type === 'requests') onRequests(m.entries);
      if (m.type !== 'reply') return;
      const waiter = this.replies.get(m.id);
      this.replies.delete(m.id);
      if (m.error !== undefined) waiter?.reject(new Error(`Modbus simulator: ${m.error}`));
      else waiter?.resolve(m.result);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const w of this.replies.values()) w.reject(new Error(`the Modbus simulator's process exited${this.stderr ? `: ${this.stderr}` : ''}`));
      this.replies.clear();
    });
  }

  /** Resolves once the server listens (TCP) or has opened the pty (RTU). */
  start(m: StartMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the Modbus simulator did not start within ${START_TIMEOUT_MS} ms${this.stderr ? `: ${this.stderr}` : ''}`)),
        START_TIMEOUT_MS,
      );
      const onMessage = (r: ServerMessage) => {
        if (r.type !== 'ready' && r.type !== 'failed') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        if (r.type === 'ready') resolve();
        else reject(new Error(`the Modbus simulator cannot start: ${r.message}`));
      };
      this.child.on('message', onMessage);
      void this.exited.then(() => (clearTimeout(timer), reject(new Error(`the Modbus simulator's process exited at start: ${this.stderr}`))));
      this.child.send(m);
    });
  }

  ask(m: DistributiveOmit<ControlMessage, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => (this.replies.delete(id), reject(new Error(`the Modbus simulator did not answer '${m.op}' within ${REPLY_TIMEOUT_MS} ms`))),
        REPLY_TIMEOUT_MS,
      );
      const done =
        <T>(f: (v: T) => void) =>
        (v: T) => (clearTimeout(timer), f(v));
      this.replies.set(id, { resolve: done(resolve), reject: done(reject) });
      this.child.send({ ...m, id });
    });
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Starts a Modbus server (modbus-serial's, in a child process) simulating `units`. */
export async function startModbusSim(o: ModbusSimOptions): Promise<ModbusSim> {
  const state: SimState = {};
  for (const [unit, u] of Object.entries(o.units)) {
    if (!/^\d+$/.test(unit) || Number(unit) > 255) throw new Error(`unit id '${unit}' is not 0..255`);
    state[Number(unit)] = unitState(u);
  }
  const log: ModbusSimRequest[] = [];
  const waiters = new Set<(r: ModbusSimRequest) => boolean>();
  const onRequests = (entries: ModbusSimRequest[]) => {
    for (const r of entries) {
      log.push(r);
      for (const w of waiters) if (w(r)) waiters.delete(w);
    }
  };

  let port = o.port;
  let pair: SocatPair | undefined;
  let server: ServerProcess;
  const launch = async (snapshot: SimState, where: Pick<StartMessage, 'port' | 'rtu'>) => {
    const p = new ServerProcess(onRequests);
    try {
      await p.start({ op: 'start', state: snapshot, ...where });
    } catch (err) {
      await p.kill('SIGKILL');
      throw err;
    }
    server = p;
  };
  const baudRate = o.baudRate ?? 9600;
  if (o.rtu) {
    // The device's end is opened before the gateway's end appears (see DeviceSide).
    pair = await startSocatPair((b) => launch(state, { rtu: { path: b, baudRate } }));
  } else if (port !== undefined) {
    await launch(state, { port });
  } else {
    // A free port may be taken between the check and the listen: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch(state, { port });
        break;
      } catch (err) {
        if (attempt === 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
      }
    }
  }
  const where = (): Pick<StartMessage, 'port' | 'rtu'> => (pair ? { rtu: { path: pair.b, baudRate } } : { port });
  let restarting: Promise<void> | undefined;
  const current = async () => {
    await restarting;
    return server;
  };

  return {
    address: pair ? pair.a : `tcp://127.0.0.1:${port}`,
    set: async (unit, table, address, values) => {
      checkValues(table, address, values);
      await (await current()).ask({ op: 'set', unit, table, address, values });
    },
    read: async (unit, table, address, count) => (await (await current()).ask({ op: 'read', unit, table, address, count })) as number[] | boolean[],
    silence: async (unit, silent = true) => void (await (await current()).ask({ op: 'silence', unit, silent })),
    fail: async (unit, code, at) => void (await (await current()).ask({ op: 'fail', unit, code, ...(at ? { where: at } : {}) })),
    requests: async () => {
      // A round trip, so that what the server received before this call has been logged here.
      await (await current()).ask({ op: 'ping' });
      return log.map((r) => ({ ...r }));
    },
    waitForRequest: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const found = log.find(match);
        if (found) return resolve({ ...found });
        const timer = setTimeout(
          () => (waiters.delete(waiter), reject(new Error(`no matching Modbus request within ${timeoutMs} ms (${log.length} received)`))),
          timeoutMs,
        );
        const waiter = (r: ModbusSimRequest) => (match(r) ? (clearTimeout(timer), resolve({ ...r }), true) : false);
        waiters.add(waiter);
      }),
    restart: async () => {
      const old = await current();
      restarting = (async () => {
        const snapshot = (await old.ask({ op: 'snapshot' })) as SimState;
        await old.kill('SIGKILL');
        await launch(snapshot, where());
      })();
      await restarting;
    },
    close: async () => {
      await restarting?.catch(() => undefined);
      await server.kill('SIGTERM');
      await pair?.close();
    },
  };
}
