// The raw baseline of the Modbus rows: modbus-serial's client reading holding registers in a
// loop, one request at a time, from the simulator; reports requests, seconds and its own CPU.
import ModbusRTU from 'modbus-serial';
import type { ModbusRawResult } from '../modbus.js';

const [portArg, unitArg, countArg, warmupArg, measureArg] = process.argv.slice(2);

async function main(): Promise<void> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port: Number(portArg) });
  client.setID(Number(unitArg));
  client.setTimeout(5_000);
  const count = Number(countArg);
  const loop = async (ms: number) => {
    let requests = 0;
    for (const end = performance.now() + ms; performance.now() < end; requests++) await client.readHoldingRegisters(0, count);
    return requests;
  };
  await loop(Number(warmupArg));
  const cpu = process.cpuUsage();
  const at = performance.now();
  const requests = await loop(Number(measureArg));
  const used = process.cpuUsage(cpu);
  const result: ModbusRawResult = { requests, seconds: (performance.now() - at) / 1000, cpuUs: (used.user + used.system) / requests };
  process.send?.({ type: 'result', result });
  client.close(() => undefined);
}

void main();
