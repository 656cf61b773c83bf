import { spawn } from 'node:child_process';

// The device runs in its own process: its clock reads each arrival as it happens, whatever
// the test process is busy with (a stall there would shift one arrival and shrink the next gap).
const SCRIPT = `
const net = require('node:net');
const { performance } = require('node:perf_hooks');
const arrivals = [];
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let pending = '';
  socket.on('data', (chunk) => {
    const at = performance.now();
    pending += chunk.toString('latin1');
    let end;
    while ((end = pending.indexOf('\\r')) >= 0) {
      arrivals.push({ text: pending.slice(0, end), at });
      pending = pending.slice(end + 1);
    }
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
process.stdin.on('data', () => console.log('ARRIVALS ' + JSON.stringify(arrivals)));
process.stdin.on('end', () => process.exit(0));
`;

export interface TimingDevice {
  port: number;
  /** Lines received so far, with their arrival time in the device's clock (ms). */
  arrivals(): Promise<{ text: string; at: number }[]>;
  close(): Promise<void>;
}

/** A TCP device in a child process that records when each `\r`-ended line arrives; starts within 5 s. */
export async function startTimingDevice(): Promise<TimingDevice> {
  const child = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (pattern: RegExp, what: string) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timing device: no ${what} within 5 s; output: ${out}`)), 5_000);
      const check = () => {
        const m = pattern.exec(out);
        if (m) {
          clearTimeout(timer);
          out = out.slice(m.index + m[0].length);
          resolve(m);
        } else waiters.push(check);
      };
      check();
    });
  const port = Number((await next(/PORT (\d+)\n/, 'port'))[1]);
  return {
    port,
    arrivals: async () => {
      child.stdin.write('\n');
      return JSON.parse((await next(/ARRIVALS (.*)\n/, 'arrivals'))[1]!) as { text: string; at: number }[];
    },
    close: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
