// The polling gateway of the bench: 100 devices x 10 items at 1 s on a PollScheduler, 10 buses
// of 10 devices. `gateway`: an @mg gateway whose polls are requests over local TCP to the
// simulated devices (./poll-devices.ts, another process), each answer published as a status;
// `scheduler`: the scheduler alone, each poll answered at once in process. After a warm-up, it
// measures its own CPU per poll and how late polls started, and reports over IPC.
import { setMaxListeners } from 'node:events';
import { InternalMessage, startGateway, type GatewayInterface, type InterfaceContext } from '@mg/core';
import { LineTransport, PollScheduler, type PollInfo } from '@mg/device-io';
import { percentile, POLL_LAYOUT, type PollMode, type PollResult } from '../poll-plan.js';

const [modeArg, devicePort, conf, warmupArg, measureArg] = process.argv.slice(2);
const mode = modeArg as PollMode;
const L = POLL_LAYOUT;

type Poll = (bus: number, device: number, item: number) => (signal: AbortSignal) => Promise<void>;

const PER_BUS = L.devicesPerBus * L.itemsPerDevice;

function schedule(scheduler: PollScheduler, poll: Poll): void {
  for (let b = 0; b < L.buses; b++) {
    for (let k = 0; k < PER_BUS; k++) {
      const d = b * L.devicesPerBus + Math.floor(k / L.itemsPerDevice);
      const i = k % L.itemsPerDevice;
      const offsetMs = (k * L.intervalMs) / PER_BUS;
      scheduler.add(`bus${b}`, { device: `d${d}`, id: `i${i}`, intervalMs: L.intervalMs, offsetMs, poll: poll(b, d, i) });
    }
  }
}

/** Waits for the warm-up, then measures for the window and reports. */
async function measure(scheduler: PollScheduler, published: () => number): Promise<void> {
  const lateness: number[] = [];
  let measuring = false;
  scheduler.on('poll', (p: PollInfo) => {
    if (measuring && !p.requested) lateness.push(p.lateMs);
  });
  await new Promise((r) => setTimeout(r, Number(warmupArg)));
  const before = { counters: scheduler.counters, cpu: process.cpuUsage(), at: performance.now(), published: published() };
  measuring = true;
  await new Promise((r) => setTimeout(r, Number(measureArg)));
  measuring = false;
  const cpu = process.cpuUsage(before.cpu);
  const after = scheduler.counters;
  const polls = after.polls - before.counters.polls;
  lateness.sort((a, b) => a - b);
  const result: PollResult = {
    polls,
    seconds: (performance.now() - before.at) / 1000,
    cpuUs: (cpu.user + cpu.system) / Math.max(1, polls),
    p50: percentile(lateness, 50),
    p99: percentile(lateness, 99),
    max: lateness.at(-1) ?? 0,
    late: after.late - before.counters.late,
    failures: after.failures - before.counters.failures,
    timeouts: after.timeouts - before.counters.timeouts,
    published: published() - before.published,
  };
  process.send?.({ type: 'result', result });
}

const connected = (t: LineTransport) =>
  new Promise<void>((resolve) => {
    if (t.state === 'connected') return resolve();
    const on = (change: { state: string }) => {
      if (change.state !== 'connected') return;
      t.off('state', on);
      resolve();
    };
    t.on('state', on);
  });

/** The interface: schedules the polls once its buses are connected, then hands the scheduler to `onStarted`. */
function pollingInterface(onStarted: (scheduler: PollScheduler) => void) {
  return class PollingGateway implements GatewayInterface {
    constructor(private readonly ctx: InterfaceContext) {}

    async start(): Promise<void> {
      // One abort listener per bus and one for the scheduler: more than Node's default warning level of 10.
      setMaxListeners(L.buses + 10, this.ctx.signal);
      const scheduler = new PollScheduler({ timeoutMs: L.timeoutMs, logger: this.ctx.logger });
      const transports = Array.from({ length: L.buses }, (_, b) => {
        const t = new LineTransport({ address: `tcp://127.0.0.1:${devicePort}`, name: `bus${b}`, framing: { terminator: '\r' }, logger: this.ctx.logger });
        t.start(this.ctx.signal);
        return t;
      });
      schedule(scheduler, (b, d, i) => {
        const transport = transports[b]!;
        const request = `D${d}.${i}?`;
        const prefix = `D${d}.${i}=`;
        const match = (line: string) => line.startsWith(prefix);
        const fields = { isCmd: false, function: 'poll', location: `bus${b}`, device: `d${d}`, action: `i${i}` };
        return async (signal) => {
          const answer = await transport.request(request, { match, signal });
          this.ctx.outgoing.push(new InternalMessage({ ...fields, arguments: { value: answer.slice(prefix.length) } }));
        };
      });
      await Promise.all(transports.map(connected));
      scheduler.start(this.ctx.signal);
      onStarted(scheduler);
    }
  };
}

if (mode === 'gateway') {
  let published = () => 0;
  void startGateway(
    pollingInterface((scheduler) => void measure(scheduler, () => published())),
    { appName: 'benchpoll', argv: ['-c', conf!] },
  ).then((handle) => (published = () => handle.gateway?.counters.published ?? 0));
} else {
  const scheduler = new PollScheduler({ timeoutMs: L.timeoutMs });
  schedule(scheduler, () => () => Promise.resolve());
  scheduler.start();
  void measure(scheduler, () => 0);
}
