// The Modbus simulator's server process, forked by modbus-sim.ts: modbus-serial's ServerTCP (Modbus
// TCP) or ServerSerial (RTU on a pty) over the units' register banks, controlled over IPC.
import type { Server, Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ServerSerial, ServerTCP } from 'modbus-serial';
import { Banks, requestOf, type ModbusSimRequest, type ModbusSimTable, type SimState } from './modbus-bank.js';

/** The first message: what to serve and where. */
export interface StartMessage {
  op: 'start';
  state: SimState;
  port?: number;
  rtu?: { path: string; baudRate: number };
}

/** Later messages, each answered with a reply of the same id. */
export type ControlMessage = { id: number } & (
  | { op: 'set'; unit: number; table: ModbusSimTable; address: number; values: number[] | boolean[] }
  | { op: 'read'; unit: number; table: ModbusSimTable; address: number; count: number }
  | { op: 'silence'; unit: number; silent: boolean }
  | { op: 'fail'; unit: number; code: number; where?: { table: ModbusSimTable; address: number } }
  | { op: 'snapshot' }
  | { op: 'ping' }
);

export type ServerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'reply'; id: number; result?: unknown; error?: string }
  | { type: 'requests'; entries: ModbusSimRequest[] };

type Done<T> = (err: Error | null, value: T) => void;

const send = (m: ServerMessage) => process.send?.(m);

/** The callbacks modbus-serial's servers call, per request (words) or per bit (coils, discretes). */
function vector(banks: Banks) {
  // Silence: never calling back leaves only that request unanswered; both servers handle each
  // request in its own timer callback, so the other units' requests go on.
  const answer = <T>(unit: number, table: ModbusSimTable, address: number, count: number, write: boolean, done: Done<T>, act: () => T) => {
    const v = banks.verdict(unit, table, address, count, write);
    if ('silent' in v) return;
    // An empty list rather than no value: modbus-serial's FC4 handler reads values[i] even on an
    // error, and would answer SLAVE DEVICE FAILURE (4) instead of the code asked for.
    if ('code' in v) return done(Object.assign(new Error(`exception ${v.code}`), { modbusErrorCode: v.code }), [] as unknown as T);
    done(null, act());
  };
  const words = (table: 'holding' | 'input') => ({
    one: (addr: number, unit: number, done: Done<number>) => answer(unit, table, addr, 1, false, done, () => banks.read(unit, table, addr, 1)[0] as number),
    many: (addr: number, length: number, unit: number, done: Done<number[]>) =>
      answer(unit, table, addr, length, false, done, () => banks.read(unit, table, addr, length) as number[]),
  });
  const bit = (table: 'coil' | 'discrete') => (addr: number, unit: number, done: Done<boolean>) =>
    answer(unit, table, addr, 1, false, done, () => banks.read(unit, table, addr, 1)[0] as boolean);
  const holding = words('holding');
  const input = words('input');
  return {
    getHoldingRegister: holding.one,
    getMultipleHoldingRegisters: holding.many,
    getInputRegister: input.one,
    getMultipleInputRegisters: input.many,
    getCoil: bit('coil'),
    getDiscreteInput: bit('discrete'),
    setRegister: (addr: number, value: number, unit: number, done: Done<void>) =>
      answer(unit, 'holding', addr, 1, true, done, () => banks.set(unit, 'holding', addr, [value])),
    setRegisterArray: (addr: number, values: number[], unit: number, done: Done<void>) =>
      answer(unit, 'holding', addr, values.length, true, done, () => banks.set(unit, 'holding', addr, values)),
    // Function 15 comes here bit by bit (modbus-serial's setCoilArray path answers before it
    // writes), so a hole in the middle of a multiple-coil write leaves the bits before it written.
    setCoil: (addr: number, value: boolean, unit: number, done: Done<void>) =>
      answer(unit, 'coil', addr, 1, true, done, () => banks.set(unit, 'coil', addr, [value])),
  };
}

/** Logs every request frame as it arrives (sent to the parent in batches, once per turn). */
function requestLog() {
  let pending: ModbusSimRequest[] = [];
  const flush = () => {
    if (pending.length > 0) send({ type: 'requests', entries: pending });
    pending = [];
  };
  const log = (frame: Buffer) => {
    const r = requestOf(frame, Date.now());
    if (!r) return;
    if (pending.length === 0) setImmediate(flush);
    pending.push(r);
  };
  // modbus-serial emits no event per request, so the frames are read beside its own listener:
  // TCP splits the stream by the MBAP length, RTU comes framed by ServerSerial's silence timer.
  const tcp = (server: Server) =>
    server.on('connection', (sock: Socket) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (data: Buffer) => {
        buf = Buffer.concat([buf, data]);
        while (buf.length > 6 && buf.length >= 6 + buf.readUInt16BE(4)) {
          log(buf.subarray(6, 6 + buf.readUInt16BE(4)));
          buf = buf.subarray(6 + buf.readUInt16BE(4));
        }
      });
    });
  const rtu = (frames: Readable) => frames.on('data', (frame: Buffer) => log(frame));
  return { tcp, rtu, flush };
}

function serve(start: StartMessage, banks: Banks, log: ReturnType<typeof requestLog>): Promise<void> {
  const v = vector(banks);
  return new Promise((resolve, reject) => {
    if (start.rtu) {
      const { path, baudRate } = start.rtu;
      // The end of a request is ServerSerial's silence on the line: 3.5 characters, at least
      // a few ms since a pty passes a frame on in one piece but timers on a loaded machine are late.
      const interval = Math.max(5, Math.ceil((3.5 * 11 * 1000) / baudRate));
      const options = {
        path,
        baudRate,
        interval,
        openCallback: (err: Error | null) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve()),
      };
      const server = new ServerSerial(v, options);
      log.rtu((server as unknown as { _server: Readable })._server);
    } else {
      const server = new ServerTCP(v, { host: '127.0.0.1', port: start.port });
      server.on('serverError', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
      server.on('initialized', () => resolve());
      log.tcp((server as unknown as { _server: Server })._server);
    }
  });
}

function control(banks: Banks, m: ControlMessage): unknown {
  switch (m.op) {
    case 'set':
      return banks.set(m.unit, m.table, m.address, m.values);
    case 'read':
      return banks.read(m.unit, m.table, m.address, m.count);
    case 'silence':
      return banks.silence(m.unit, m.silent);
    case 'fail':
      return banks.fail(m.unit, m.code, m.where);
    case 'snapshot':
      return banks.snapshot();
    case 'ping':
      return null;
  }
}

function main(): void {
  let banks: Banks | undefined;
  const log = requestLog();
  process.on('message', (m: StartMessage | ControlMessage) => {
    if (m.op === 'start') {
      const b = new Banks(m.state);
      banks = b;
      serve(m, b, log).then(
        () => send({ type: 'ready' }),
        (err: Error) => send({ type: 'failed', message: err.message }),
      );
      return;
    }
    try {
      if (!banks) throw new Error('the simulator has not started');
      // What was received before this message is logged before its reply (requests() counts on it).
      log.flush();
      send({ type: 'reply', id: m.id, result: control(banks, m) ?? null });
    } catch (err) {
      send({ type: 'reply', id: m.id, error: (err as Error).message });
    }
  });
  // The test process went away: nothing is left to serve.
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) main();
