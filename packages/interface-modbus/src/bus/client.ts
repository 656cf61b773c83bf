import ModbusRTU from 'modbus-serial';
import { ModbusError, ModbusExceptionError } from '../errors.js';
import type { BusAddress } from './address.js';
import { exceptionName } from './exceptions.js';
import type { CharacterFormat } from './interframe.js';

/** One request on the bus, with the unit it is for. */
export type ModbusRequest =
  | { readonly kind: 'read'; readonly unit: number; readonly fc: 1 | 2 | 3 | 4; readonly address: number; readonly count: number }
  | {
      readonly kind: 'write';
      readonly unit: number;
      readonly fc: 5 | 6 | 15 | 16;
      readonly address: number;
      readonly values: readonly number[] | readonly boolean[];
    };

/** What a read returns: words (fc 3, 4) or bits (fc 1, 2), exactly `count` of them. */
export type ReadResult = number[] | boolean[];

/**
 * Opens a modbus-serial client on the address: `connectTCP` for Modbus TCP; `connectTelnet` for
 * `rtu+tcp://` (raw RTU frames with their CRC over a TCP serial server: modbus-serial 8's
 * `connectTcpRTUBuffered`, despite its name, frames requests with the Modbus TCP header); and
 * `connectRTUBuffered` for a serial port (the buffered port reassembles frames split over
 * several reads). Rejects when the port cannot be opened within `connectTimeoutMs`.
 */
export async function openClient(
  address: BusAddress,
  serial: CharacterFormat,
  connectTimeoutMs: number,
  signal: AbortSignal,
  onError: (err: unknown) => void,
): Promise<ModbusRTU> {
  const client = new ModbusRTU();
  // The client re-emits its port's errors; an 'error' event nobody listens to would end the process.
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  let abort: (() => void) | undefined;
  // Given up at the connect timeout, or at once when the bus stops (stop() must not wait for it).
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    abort = () => reject(new Error('stopped while connecting'));
    signal.addEventListener('abort', abort, { once: true });
  });
  try {
    const opening =
      address.kind === 'tcp'
        ? client.connectTCP(address.host, { port: address.port })
        : address.kind === 'rtu+tcp'
          ? client.connectTelnet(address.host, { port: address.port })
          : client.connectRTUBuffered((address as { path: string }).path, {
              baudRate: serial.baudRate,
              dataBits: serial.dataBits,
              stopBits: serial.stopBits,
              parity: serial.parity,
            });
    await Promise.race([opening, timeout]);
    return client;
  } catch (err) {
    closeClient(client);
    throw err;
  } finally {
    clearTimeout(timer);
    if (abort) signal.removeEventListener('abort', abort);
  }
}

/** Closes a client whatever state it is in; never throws. */
export function closeClient(client: ModbusRTU): void {
  const port = (client as unknown as { _port?: { destroy?: unknown } })._port;
  try {
    // A socket is destroyed at once; a serial port has no destroy(): it is closed.
    if (port && typeof port.destroy === 'function') client.destroy(() => undefined);
    else if (client.isOpen) client.close(() => undefined);
  } catch {
    // Closing a port that is already gone: nothing more to do.
  }
}

/**
 * Bytes an RTU port kept from an earlier answer (one that came after its timeout): RTU has no
 * transaction id, so they would be taken for the next answer. Called before each request.
 */
export function discardStaleInput(client: ModbusRTU): void {
  const port = (client as unknown as { _port?: { _buffer?: unknown } })._port;
  if (port && Buffer.isBuffer(port._buffer)) port._buffer = Buffer.alloc(0);
}

/**
 * Sends one request with the unit id given per call (not the client's shared `setID`) and its
 * callback API, wrapped so that nothing thrown can escape into the port's event handlers.
 * Rejects with a ModbusError: MODBUS_EXCEPTION (a ModbusExceptionError), MODBUS_TIMEOUT,
 * MODBUS_NOT_CONNECTED or MODBUS_BAD_ANSWER.
 */
export function exchange(client: ModbusRTU, r: ModbusRequest): Promise<ReadResult | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err: unknown, data?: unknown) => {
      if (settled) return;
      settled = true;
      try {
        if (err) reject(toModbusError(err, r));
        else if (r.kind === 'read') resolve(readData(r, (data as { data?: unknown } | undefined)?.data));
        else resolve(undefined);
      } catch (bad) {
        reject(toModbusError(bad, r));
      }
    };
    try {
      if (r.kind === 'read') {
        if (r.fc === 1) client.writeFC1(r.unit, r.address, r.count, done);
        else if (r.fc === 2) client.writeFC2(r.unit, r.address, r.count, done);
        else if (r.fc === 3) client.writeFC3(r.unit, r.address, r.count, done);
        else client.writeFC4(r.unit, r.address, r.count, done);
      } else if (r.fc === 5) client.writeFC5(r.unit, r.address, Boolean(r.values[0]), done);
      else if (r.fc === 6) client.writeFC6(r.unit, r.address, Number(r.values[0]), done);
      else if (r.fc === 15) client.writeFC15(r.unit, r.address, r.values.map(Boolean), done);
      else client.writeFC16(r.unit, r.address, r.values.map(Number), done);
    } catch (err) {
      done(err);
    }
  });
}

function readData(r: Extract<ModbusRequest, { kind: 'read' }>, data: unknown): ReadResult {
  if (!Array.isArray(data)) throw new ModbusError('MODBUS_BAD_ANSWER', `unit ${r.unit} answered a read of ${r.count} at ${r.address} without data`);
  // Bits come in whole bytes: the padding past `count` is not the device's.
  return r.fc <= 2 ? (data as boolean[]).slice(0, r.count) : (data as number[]).slice(0, r.count);
}

/** The request as a log line shows it: `unit 3 fc 4 at 30 x 2`. */
export function describeRequest(r: ModbusRequest): string {
  return r.kind === 'read' ? `unit ${r.unit} fc ${r.fc} at ${r.address} x ${r.count}` : `unit ${r.unit} fc ${r.fc} at ${r.address} (${r.values.length})`;
}

function toModbusError(err: unknown, r: ModbusRequest): ModbusError {
  if (err instanceof ModbusError) return err;
  const e = (err ?? {}) as { modbusCode?: unknown; name?: unknown; errno?: unknown; message?: unknown };
  const what = describeRequest(r);
  if (typeof e.modbusCode === 'number') {
    const name = exceptionName(e.modbusCode);
    return new ModbusExceptionError(e.modbusCode, name, `${what}: the device answered exception ${e.modbusCode} ${name}`, { cause: err });
  }
  if (e.name === 'TransactionTimedOutError' || e.errno === 'ETIMEDOUT') return new ModbusError('MODBUS_TIMEOUT', `${what}: no answer`, { cause: err });
  if (e.name === 'PortNotOpenError' || e.errno === 'ECONNREFUSED')
    return new ModbusError('MODBUS_NOT_CONNECTED', `${what}: the bus is not connected`, { cause: err });
  return new ModbusError('MODBUS_BAD_ANSWER', `${what}: ${typeof e.message === 'string' ? e.message : String(err)}`, { cause: err });
}
