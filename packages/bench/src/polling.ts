// The polling rows of `pnpm bench`: a polling gateway, then the scheduler alone, each in a
// process of its own, after the device simulator has started.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { POLL_LAYOUT, type PollMode, type PollResult } from './poll-plan.js';
import { gatewayConf, next } from './targets.js';

export interface PollingRow extends PollResult {
  target: string;
  /** How each poll is answered. */
  device: string;
}

const L = POLL_LAYOUT;
const script = (name: string) => join(__dirname, 'targets', `${name}.js`);

const TARGETS: { mode: PollMode; target: string; device: string }[] = [
  {
    mode: 'gateway',
    target: `@mg gateway, ${L.buses * L.devicesPerBus} devices x ${L.itemsPerDevice} items at ${L.intervalMs / 1000} s`,
    device: `request/answer over local TCP to simulated devices in another process, ${L.buses} buses, each answer published (QoS 0)`,
  },
  {
    mode: 'scheduler',
    target: `PollScheduler alone, ${L.buses * L.devicesPerBus} devices x ${L.itemsPerDevice} items at ${L.intervalMs / 1000} s`,
    device: `simulated in process, answers at once; ${L.buses} buses`,
  },
];

export async function pollingRows(url: string, plan: { warmupMs: number; measureMs: number }): Promise<PollingRow[]> {
  const devices = fork(script('poll-devices'), [], { stdio: 'inherit' });
  try {
    const { port } = await next<{ port: number }>(devices, 'ready');
    const rows: PollingRow[] = [];
    for (const t of TARGETS) {
      const conf = gatewayConf(url, 0, false, 'poller').path;
      const poller = fork(script('poller'), [t.mode, String(port), conf, String(plan.warmupMs), String(plan.measureMs)], { stdio: 'inherit' });
      try {
        const { result } = await next<{ result: PollResult }>(poller, 'result');
        rows.push({ target: t.target, device: t.device, ...result });
      } finally {
        poller.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
        poller.kill('SIGKILL');
      }
    }
    return rows;
  } finally {
    devices.kill();
  }
}
