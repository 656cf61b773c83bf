// The Modbus rows of `pnpm bench` (BENCH_ONLY=modbus alone): registers read per second over Modbus
// TCP, by modbus-serial's client in a loop (the raw baseline) and by modbus2mqtt, and modbus2mqtt's
// CPU per poll cycle with 50 units x 20 registers at 1 s through one TCP connection. The devices
// are @mg/test-helpers' Modbus simulator (modbus-serial's ServerTCP in a process of its own).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startModbusSim, type ModbusSim, type ModbusSimUnit } from '@mg/test-helpers';
import { gatewayConf, next } from './targets.js';

/** What the raw client loop measured. */
export interface ModbusRawResult {
  requests: number;
  seconds: number;
  /** CPU time (user + system) of the measured process per request, µs. */
  cpuUs: number;
}

export interface ModbusRow extends ModbusRawResult {
  target: string;
  load: string;
  /** Registers read per second (requests x registers per request / seconds). */
  registersPerS: number;
  /** CPU time of the gateway per poll cycle (every unit polled once), ms: the rows at a fixed rate. */
  cpuMsPerCycle?: number;
}

export interface ModbusPlan {
  warmupMs: number;
  measureMs: number;
}

const UNITS = 50;
// Enough units that 0.1 s asks for more reads than one connection to the simulator carries.
const MANY_UNITS = 200;
const BIG = 125; // the most registers one read may ask for
const SMALL = 20;

const registers = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [i, (i * 37) % 65536]));

export async function modbusRows(url: string, plan: ModbusPlan): Promise<ModbusRow[]> {
  const units: Record<number, ModbusSimUnit> = {};
  for (let u = 1; u <= MANY_UNITS; u++) units[u] = { holding: registers(BIG) };
  const sim = await startModbusSim({ units });
  try {
    const port = Number(sim.address.split(':')[2]);
    const rows: ModbusRow[] = [];
    for (const count of [BIG, SMALL]) {
      const r = await raw(port, count, plan);
      rows.push({
        target: 'modbus-serial client loop (raw)',
        load: `1 unit, ${count} registers a read, one request at a time`,
        ...r,
        registersPerS: (r.requests * count) / r.seconds,
      });
    }
    // Asked for more than it can do (2,000 reads of 125 registers a second), the gateway reads as
    // fast as it can; values do not change and the profile publishes changes only, so this is the read path.
    rows.push(await gateway(url, sim, { name: 'saturated', units: MANY_UNITS, count: BIG, pollSeconds: 0.1, publish: { changeOnly: true } }, plan));
    // The row: 50 units x 20 registers at 1 s, every value published at every poll (QoS 0).
    rows.push(await gateway(url, sim, { name: 'steady', units: UNITS, count: SMALL, pollSeconds: 1 }, plan));
    return rows;
  } finally {
    await sim.close();
  }
}

async function raw(port: number, count: number, plan: ModbusPlan): Promise<ModbusRawResult> {
  const child = fork(join(__dirname, 'targets', 'modbus-raw.js'), [String(port), '1', String(count), String(plan.warmupMs), String(plan.measureMs)], {
    stdio: 'inherit',
  });
  try {
    return (await next<{ result: ModbusRawResult }>(child, 'result')).result;
  } finally {
    child.kill();
  }
}

interface GatewayLoad {
  name: string;
  units: number;
  count: number;
  pollSeconds: number;
  publish?: Record<string, unknown>;
}

async function gateway(url: string, sim: ModbusSim, load: GatewayLoad, plan: ModbusPlan): Promise<ModbusRow> {
  const conf = gatewayConf(url, 0, false, `modbus-${load.name}`).path;
  const profile = `bench-${load.name}.json`;
  const points = Array.from({ length: load.count }, (_, i) => ({ id: `r${i}`, table: 'holding', address: i, type: 'uint16' }));
  writeFileSync(
    join(dirname(conf), profile),
    JSON.stringify({
      name: `bench-${load.name}`,
      description: 'bench',
      pollSeconds: load.pollSeconds,
      ...(load.publish ? { publish: load.publish } : {}),
      points,
    }),
  );
  const devices = Array.from({ length: load.units }, (_, i) => `u${i + 1}:${i + 1}:${profile}`).join(', ');
  appendFileSync(conf, `[INTERFACE]\naddress: ${sim.address}\ndevices: ${devices}\ntimeout: 1000\n`);
  const bin = join(dirname(require.resolve('@mg/interface-modbus/package.json')), 'bin', 'modbus2mqtt.js');
  const child: ChildProcess = spawn(process.execPath, [bin, '-c', conf], { stdio: 'inherit' });
  try {
    const started = Date.now();
    await sim.waitForRequest((r) => r.unit === load.units && r.at >= started, 30_000);
    await new Promise((r) => setTimeout(r, plan.warmupMs));
    const from = { at: Date.now(), cpu: cpuUsOf(child.pid!) };
    await new Promise((r) => setTimeout(r, plan.measureMs));
    const to = { at: Date.now(), cpu: cpuUsOf(child.pid!) };
    const reads = (await sim.requests()).filter((r) => r.at >= from.at && r.at < to.at && r.fc === 3);
    const seconds = (to.at - from.at) / 1000;
    const cpuUs = to.cpu - from.cpu;
    const per = load.pollSeconds === 1 ? { cpuMsPerCycle: cpuUs / 1000 / seconds } : {};
    return {
      target: `modbus2mqtt, ${load.units} units x ${load.count} registers at ${load.pollSeconds} s`,
      load: load.publish
        ? 'one TCP connection; asked for more than it can read; changes only published (none)'
        : 'one TCP connection; every value published at every poll (QoS 0)',
      requests: reads.length,
      seconds,
      cpuUs: cpuUs / Math.max(1, reads.length),
      registersPerS: reads.reduce((sum, r) => sum + r.count, 0) / seconds,
      ...per,
    };
  } finally {
    child.kill('SIGKILL');
  }
}

/** CPU time (user + system) of a process so far, µs, from /proc (Linux), in clock ticks of 10 ms. */
function cpuUsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}
