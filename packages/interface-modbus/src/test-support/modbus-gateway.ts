import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGateway, type PublishedMessage, type TestGateway } from '@mg/core/testing';
import { ModbusInterface } from '../modbus-interface.js';

/** A JSON payload of a status topic. */
export type Payload = Record<string, unknown>;

/** Where the test gateway (no map, root `test`) publishes the statuses of unit `device`, and takes its commands. */
const statusTopic = (device: string) => `test/Energy//Lab/${device}/modbus2mqtt/S`;
export const commandTopic = (device: string) => `test/Energy//Lab/${device}/tester/C`;
export const POLL_TOPIC = 'test/modbus2mqtt/poll';

/**
 * A register profile for the tests, in a temporary directory: an input-register block with a
 * gap (one batch with maxgap 8), a writable holding register with a range and step, a coil,
 * and an hourly point (read at connection and on demand only).
 */
export function testProfile(pollSeconds = 0.2): { dir: string; path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-modbus-profile-'));
  const path = join(dir, 'test-board.json');
  writeFileSync(
    path,
    JSON.stringify({
      name: 'test-board',
      description: 'A board for the tests of modbus2mqtt',
      maker: 'Test',
      model: 'Board 1',
      pollSeconds,
      groups: { slow: { pollSeconds: 3600 } },
      points: [
        { id: 'temperature', table: 'input', address: 0, type: 'int16', scale: 0.1, unit: '°C' },
        { id: 'humidity', table: 'input', address: 1, type: 'uint16', unit: '%' },
        { id: 'energy', table: 'input', address: 8, type: 'float32', unit: 'kWh' },
        { id: 'setpoint', table: 'holding', address: 0, type: 'int16', scale: 0.5, unit: '°C', write: { min: 5, max: 30, step: 0.5 } },
        { id: 'relay', table: 'coil', address: 0, write: true },
        { id: 'serial-number', table: 'holding', address: 100, type: 'uint32', group: 'slow' },
      ],
    }),
  );
  return { dir, path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** float32 as the two big-endian words a device holds. */
export function float32Words(value: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value);
  return [b.readUInt16BE(0), b.readUInt16BE(2)];
}

export type ModbusTestGateway = TestGateway & {
  /** JSON payloads published on the status topic of `device`, in order. */
  payloads(device: string): Payload[];
  /** The first payload of `device` (already, or to come) that `match` accepts. */
  waitForPayload(device: string, match: (p: Payload) => boolean, timeoutMs?: number): Promise<Payload>;
};

/** modbus2mqtt in memory (no map: root test) with short timeouts and reconnection delays. */
export function modbusGateway(options: Readonly<Record<string, string | number>>): ModbusTestGateway {
  const gw = createTestGateway(ModbusInterface, {
    appName: 'modbus2mqtt',
    options: { function: 'Energy', location: 'Lab', timeout: 200, retries: 0, reconnectmin: 0.05, reconnectmax: 0.2, ...options },
  });
  const parse = (m: PublishedMessage): Payload => JSON.parse(m.payload) as Payload;
  return Object.assign(gw, {
    payloads: (device: string) => gw.published.filter((m) => m.topic === statusTopic(device)).map(parse),
    // Looked for in `published` (already, or to come) rather than with gw.waitFor, whose default
    // changes to "after the call" with the testing kit's next version.
    waitForPayload: async (device: string, match: (p: Payload) => boolean, timeoutMs = 10_000) => {
      const found = () => gw.published.find((m) => m.topic === statusTopic(device) && match(parse(m)));
      await until(() => found() !== undefined, `a matching status of ${device}; published: ${JSON.stringify(gw.published.slice(-10))}`, timeoutMs);
      return parse(found()!);
    },
  });
}

/** True for the reply to a command for `action`. */
export const isReply = (action: string) => (p: Payload) => p.action === action && 'response' in p;

/** Polls `condition` every 10 ms. */
export async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
