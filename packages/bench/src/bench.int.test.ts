import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The benchmark harness itself, in its quick mode: it must run end to end and report what it
// promises. Speeds are not asserted (machines are noisy); correctness of the counts is.
it('runs every target through the broker and reports loss, latency, CPU, memory and ratios', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-bench-test-'));
  const out = join(dir, 'results.json');
  try {
    const stdout = execFileSync(process.execPath, [join(__dirname, '..', 'dist', 'run.js')], {
      env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out },
      timeout: 180_000,
    }).toString();
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      rows: { target: string; phase: string; sent: number; lost: number; duplicates: number; p99: number; cpuUs: number; maxRss: number }[];
      soak: { sent: number; rssStart: number; rssEnd: number };
      polling: { target: string; polls: number; cpuUs: number; p99: number; failures: number; timeouts: number; published: number }[];
      modbus: { target: string; requests: number; seconds: number; registersPerS: number; cpuUs: number; cpuMsPerCycle?: number }[];
    };
    expect(results.rows.map((r) => r.target)).toEqual(expect.arrayContaining(['raw MQTT.js relay', '@mg, no map', '@mg, dummy map']));
    for (const r of results.rows) {
      expect(r.sent).toBeGreaterThan(0);
      expect(r.lost + r.duplicates).toBe(0); // at these tiny rates nothing may be lost
      expect(r.p99).toBeGreaterThan(0);
      expect(r.cpuUs).toBeGreaterThan(0);
      expect(r.maxRss).toBeGreaterThan(0);
    }
    expect(results.soak.sent).toBe(5_000);
    expect(stdout).toMatch(/\| @mg, dummy map +\| steady 500\/s, QoS 0 .*\| +\d+\.\d\dx \|/);
    expect(stdout).toContain('MQTT -> internal, JSON payload, dummy map');
    // The polling rows: 1,000 polls a second for 2 s, none failed, the gateway's each published.
    expect(results.polling.map((r) => r.target)).toEqual([
      expect.stringMatching(/^@mg gateway, 100 devices x 10 items/),
      expect.stringMatching(/^PollScheduler alone/),
    ]);
    for (const r of results.polling) {
      expect(r.polls).toBeGreaterThan(1_500);
      expect(r.cpuUs).toBeGreaterThan(0);
      expect(r.failures + r.timeouts).toBe(0);
    }
    expect(results.polling[0]!.published).toBe(results.polling[0]!.polls);
    expect(stdout).toMatch(/\| CPU µs\/poll \| lateness p50 ms \| lateness p99 ms \|/);
    // The Modbus rows: the raw client twice, modbus2mqtt saturated, then 50 units at 1 s, each
    // unit read about once a second (2 s measured), with its CPU per poll cycle.
    expect(results.modbus.map((r) => r.target)).toEqual([
      'modbus-serial client loop (raw)',
      'modbus-serial client loop (raw)',
      'modbus2mqtt, 200 units x 125 registers at 0.1 s',
      'modbus2mqtt, 50 units x 20 registers at 1 s',
    ]);
    for (const r of results.modbus) expect(r.requests > 0 && r.registersPerS > 0 && r.cpuUs > 0).toBe(true);
    const steady = results.modbus[3]!;
    expect(steady.requests / steady.seconds).toBeGreaterThan(40);
    expect(steady.requests / steady.seconds).toBeLessThan(60);
    expect(steady.cpuMsPerCycle).toBeGreaterThan(0);
    expect(stdout).toMatch(/\| registers\/s \| CPU µs\/request \| CPU ms\/poll cycle \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);
