// Load generator and collector, in a process of their own: publishes commands with a sequence
// number and a send time, receives the statuses, and measures loss, duplicates and latency.
import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { commandTopic, now, STATUS_FILTER, type LoadRequest, type LoadResult } from './protocol.js';

const url = process.argv[2]!;
const IDLE_MS = 2_000;

function client(id: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: `${id}-${process.pid}`, queueQoSZero: false, reconnectPeriod: 0 });
    c.once('connect', () => {
      (c.stream as Partial<Socket>).setNoDelay?.(true);
      resolve(c);
    });
    c.once('error', reject);
  });
}

class Collector {
  seen = new Uint8Array(0);
  latencies = new Float64Array(0);
  received = 0;
  duplicates = 0;
  lastReceive = 0;

  reset(size: number): void {
    this.seen = new Uint8Array(size);
    this.latencies = new Float64Array(size);
    this.received = 0;
    this.duplicates = 0;
    this.lastReceive = 0;
  }

  onMessage(payload: Buffer): void {
    const t = now();
    let msg: { seq?: number; ts?: number };
    try {
      msg = JSON.parse(payload.toString()) as { seq?: number; ts?: number };
    } catch {
      return;
    }
    const seq = msg.seq;
    if (typeof seq !== 'number' || seq < 0 || seq >= this.seen.length || typeof msg.ts !== 'number') return;
    if (this.seen[seq]) {
      this.duplicates += 1;
      return;
    }
    this.seen[seq] = 1;
    this.latencies[this.received] = t - msg.ts;
    this.received += 1;
    this.lastReceive = t;
  }
}

async function main(): Promise<void> {
  const [pub, sub] = await Promise.all([client('loadgen-pub'), client('loadgen-sub')]);
  const collector = new Collector();
  sub.on('message', (_topic, payload) => collector.onMessage(payload));
  await sub.subscribeAsync(STATUS_FILTER, { qos: 1 });

  const send = (seq: number, qos: 0 | 1) => pub.publish(commandTopic(seq), JSON.stringify({ action: 'volume_up', seq, ts: now() }), { qos });

  const finish = async (sent: number, firstSend: number, idleMs = IDLE_MS): Promise<LoadResult> => {
    // Until everything came back, or nothing came for idleMs.
    let last = collector.received;
    let lastChange = now();
    while (collector.received < sent) {
      await new Promise((r) => setTimeout(r, 50));
      if (collector.received !== last) {
        last = collector.received;
        lastChange = now();
      } else if (now() - lastChange > idleMs) break;
    }
    const lat = Array.from(collector.latencies.subarray(0, collector.received)).sort((a, b) => a - b);
    const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]! : Number.NaN);
    const span = collector.lastReceive - firstSend;
    return {
      sent,
      received: collector.received,
      lost: sent - collector.received,
      duplicates: collector.duplicates,
      throughput: span > 0 ? (collector.received / span) * 1000 : 0,
      p50: pct(50),
      p99: pct(99),
      max: lat.length ? lat[lat.length - 1]! : Number.NaN,
    };
  };

  // A request that fails ends this child as an unhandled rejection: the parent sees it exit.
  const onRequest = async (req: LoadRequest): Promise<void> => {
    if (req.type === 'stop') {
      await Promise.all([pub.endAsync(), sub.endAsync()]);
      process.exit(0);
    }
    if (req.type === 'burst') {
      collector.reset(req.count);
      const first = now();
      for (let seq = 0; seq < req.count;) {
        const end = Math.min(req.count, seq + 500);
        for (; seq < end; seq++) send(seq, req.qos);
        await new Promise((r) => setImmediate(r)); // let the collector read between chunks
      }
      process.send?.({ type: 'result', result: await finish(req.count, first, req.idleMs) });
    } else {
      const total = Math.round(req.rate * req.seconds);
      collector.reset(total);
      const first = now();
      let seq = 0;
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          const due = Math.min(total, Math.floor(((now() - first) / 1000) * req.rate));
          for (; seq < due; seq++) send(seq, req.qos);
          if (seq >= total) {
            clearInterval(tick);
            resolve();
          }
        }, 1);
      });
      process.send?.({ type: 'result', result: await finish(total, first) });
    }
  };
  process.on('message', (req: LoadRequest) => void onRequest(req));
  process.send?.({ type: 'ready' });
}

void main();
