import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '@mg/config';
import { createTestGateway, type PublishedMessage, type TestGateway } from '@mg/core/testing';
import { SerialInterface } from '../serial-interface.js';

/** The pool controller of issue 23 as a profile: refusals, busy, one line to three statuses, queries after commands. */
export const POOL_PROFILE = {
  name: 'pool',
  description: 'a pool controller on TCP: commands answered OK or ERR <why>, STATUS? answered with three values',
  framing: { terminator: '\n' },
  answers: { refused: 'ERR (?<reason>.{1,80})', busy: 'ERR BUSY', busyRetries: 2, busyDelayMs: 50 },
  commands: {
    PUMP_ON: { send: 'PUMP ON', confirm: 'OK' },
    PUMP_OFF: { send: 'PUMP OFF', confirm: 'OK', then: [] },
    SETPOINT_SET: { send: 'SETPOINT {value}', arguments: { value: { type: 'number', min: 0, max: 50 } }, confirm: 'OK' },
  },
  statuses: [
    {
      match: 'STATUS PUMP=(?<pump>ON|OFF) TEMP=(?<temp>-?\\d{1,3}(?:\\.\\d{1,2})?) SETPOINT=(?<sp>\\d{1,2}(?:\\.\\d)?)',
      emit: [
        { action: 'PUMP', arguments: { state: { group: 'pump', map: { ON: 'on', OFF: 'off' } } } },
        { action: 'TEMPERATURE', arguments: { value: { group: 'temp', type: 'number' } } },
        { action: 'SETPOINT', arguments: { value: { group: 'sp', type: 'number' } } },
      ],
    },
    { match: 'TEMP (-?\\d{1,3}(?:\\.\\d{1,2})?)', action: 'TEMPERATURE', arguments: { value: { group: 1, type: 'number' } } },
    { match: 'ALARM (?<what>[A-Z_]{1,20})', action: 'ALARM', arguments: { what: { group: 'what' } } },
  ],
  queries: { atStart: ['STATUS?'], afterCommand: ['STATUS?'] },
};

const POOL_MAP = {
  root: 'home',
  topics: ['home/pool/+/+/+/+/C'],
  function: { maptype: 'loose', map: { Pool: ['pool'] } },
  gateway: { maptype: 'none' },
  location: { maptype: 'loose', map: { Garden: ['garden'] } },
  device: { maptype: 'loose', map: { Controller: ['controller'] } },
  sender: { maptype: 'none' },
  action: {
    maptype: 'loose',
    map: {
      PUMP_ON: ['pump_on'],
      PUMP_OFF: ['pump_off'],
      SETPOINT_SET: ['setpoint_set'],
      PUMP: ['pump'],
      TEMPERATURE: ['temperature'],
      SETPOINT: ['setpoint'],
      ALARM: ['alarm'],
      CONNECTION: ['connection'],
    },
  },
  argkey: { maptype: 'none' },
  argvalue: { maptype: 'none' },
};

export const POOL_COMMAND_TOPIC = 'home/pool//garden/controller/tester/C';
const STATUS_TOPIC = 'home/pool//garden/controller/serial2mqtt/S';

export type Payload = Record<string, unknown>;

/**
 * serial2mqtt in memory with the pool profile and map (written to a temporary directory, gone
 * at `stop()`). `next()` waits for a status payload published after the mark `mark()` returns,
 * so that a test never takes an earlier message for the one it waits for.
 */
export function poolGateway(
  options: Readonly<Record<string, ConfigInput>>,
  profile: object = POOL_PROFILE,
): TestGateway & {
  payloads(from?: number): Payload[];
  mark(): number;
  next(from: number, match: (p: Payload) => boolean, timeoutMs?: number): Promise<Payload>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'mg-serial-pool-'));
  writeFileSync(join(dir, 'pool.json'), JSON.stringify(profile));
  writeFileSync(join(dir, 'pool.map.json'), JSON.stringify(POOL_MAP));
  const gw = createTestGateway(SerialInterface, {
    appName: 'serial2mqtt',
    options: {
      profile: join(dir, 'pool.json'),
      function: 'Pool',
      location: 'Garden',
      device: 'Controller',
      reconnectmin: 0.05,
      reconnectmax: 0.2,
      replytimeout: 5,
      ...options,
    },
    mqtt: { mapping: true, mapfilename: join(dir, 'pool.map.json') },
  });
  const parse = (m: PublishedMessage): Payload => JSON.parse(m.payload) as Payload;
  const statuses = () => gw.published.filter((m) => m.topic === STATUS_TOPIC);
  const stop = gw.stop.bind(gw);
  return Object.assign(gw, {
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    payloads: (from = 0) => statuses().slice(from).map(parse),
    mark: () => statuses().length,
    next: async (from: number, match: (p: Payload) => boolean, timeoutMs = 10_000) => {
      const after = (m: PublishedMessage) => m.topic === STATUS_TOPIC && statuses().indexOf(m) >= from && match(parse(m));
      return parse(await gw.waitFor(after, { since: 'start', timeoutMs }));
    },
  });
}
