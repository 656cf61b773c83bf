import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { updateDocSection } from '@mg/test-helpers';
import { RELIABILITY_PAGE, ROWS_FILE } from './table.js';

/** The compatibility table's columns: what the gateway relies on, in the order the table shows it. */
export const FEATURES = [
  { key: 'connect', title: 'Connect and subscribe' },
  { key: 'qos0', title: 'QoS 0' },
  { key: 'qos1', title: 'QoS 1' },
  { key: 'retained', title: 'Retained availability' },
  { key: 'will', title: 'Last will' },
  { key: 'session', title: 'Persistent session across a reconnect' },
  { key: 'shared', title: '$share groups' },
  { key: 'mqtt5', title: 'MQTT 5' },
] as const;

export type Feature = (typeof FEATURES)[number]['key'];
export type Verdict = 'yes' | 'no' | 'partial';

/** One measured cell: the verdict and what was seen. */
export interface Cell {
  verdict: Verdict;
  note: string;
}

/** Where the probes go. On a cluster `pub` and `sub` are different nodes, so every message crosses it. */
export interface Target {
  /** Every node's MQTT URL (one for a single broker). */
  urls: string[];
  pub: string;
  sub: string;
  /** How the notes name the route, e.g. "node 1 → node 3"; empty for a single broker. */
  route: string;
}

/** Probes are bounded: a feature that does not answer within this long is "no". */
const WAIT_MS = 4_000;

/** A connected probe client and what it received. */
export interface Probe {
  client: MqttClient;
  connack: IConnackPacket;
  messages: IPublishPacket[];
  /** Resolves true once `count` messages match, false after `ms`. */
  waitCount(match: (p: IPublishPacket) => boolean, count: number, ms?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A plain MQTT.js client that never reconnects (a probe must see each refusal, not retry it). */
export function openProbe(url: string, options: IClientOptions = {}): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: WAIT_MS, clientId: `mgc-${randomBytes(5).toString('hex')}`, ...options });
    const messages: IPublishPacket[] = [];
    const listeners = new Set<() => void>();
    client.on('message', (_topic, _payload, packet) => {
      messages.push(packet);
      for (const l of listeners) l();
    });
    const failed = (err: Error) => {
      client.end(true);
      reject(err);
    };
    const closed = () => failed(new Error('connection closed before CONNACK'));
    client.once('error', failed);
    client.once('close', closed);
    client.once('connect', (connack) => {
      client.removeListener('error', failed);
      client.removeListener('close', closed);
      client.on('error', () => undefined); // later errors show up as missing messages
      resolve({
        client,
        connack,
        messages,
        waitCount(match, count, ms = WAIT_MS) {
          return new Promise((done) => {
            const check = () => {
              if (messages.filter(match).length < count) return;
              finish(true);
            };
            const timer = setTimeout(() => finish(false), ms);
            const finish = (ok: boolean) => {
              clearTimeout(timer);
              listeners.delete(check);
              done(ok);
            };
            listeners.add(check);
            check();
          });
        },
        close: () => new Promise<void>((r) => client.end(true, () => r())),
      });
    });
  });
}

const uniqueTopic = (what: string) => `mgcompat/${randomBytes(4).toString('hex')}/${what}`;
const text = (p: IPublishPacket) => p.payload.toString();
const failure = (err: unknown) => (err as Error).message.replace(/\s+/g, ' ').slice(0, 120);
const via = (t: Target) => (t.route ? `, ${t.route}` : '');

/** Closes every probe a check opened, whatever happened. */
async function withProbes<T>(run: (open: (url: string, o?: IClientOptions) => Promise<Probe>) => Promise<T>): Promise<T> {
  const opened: Probe[] = [];
  try {
    return await run(async (url, o) => {
      const p = await openProbe(url, o);
      opened.push(p);
      return p;
    });
  } finally {
    await Promise.all(opened.map((p) => p.close()));
  }
}

/** Publishes `count` messages numbered 0..count-1 and returns their payloads. */
async function publishNumbered(p: Probe, topic: string, count: number, qos: 0 | 1): Promise<string[]> {
  const payloads = Array.from({ length: count }, (_, i) => `m${i}`);
  for (const payload of payloads) await p.client.publishAsync(topic, payload, { qos });
  return payloads;
}

async function probeConnect(t: Target): Promise<Cell> {
  try {
    const granted = await withProbes(async (open) => {
      const out: number[] = [];
      for (const url of t.urls) {
        const p = await open(url);
        const [g] = await p.client.subscribeAsync(uniqueTopic('c'), { qos: 1 });
        out.push(g?.qos ?? 128);
      }
      return out;
    });
    if (granted.every((g) => g !== 128))
      return { verdict: 'yes', note: `CONNACK and SUBACK on ${t.urls.length === 1 ? 'the broker' : `all ${t.urls.length} nodes`}` };
    return { verdict: 'partial', note: `SUBACK refused on ${granted.filter((g) => g === 128).length} of ${t.urls.length}` };
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

async function probeQos(t: Target, qos: 0 | 1): Promise<Cell> {
  const topic = uniqueTopic(`q${qos}`);
  const count = 20;
  try {
    return await withProbes(async (open) => {
      const sub = await open(t.sub);
      const [g] = await sub.client.subscribeAsync(topic, { qos });
      const pub = await open(t.pub);
      await publishNumbered(pub, topic, count, qos);
      await sub.waitCount(() => true, count);
      const got = new Set(sub.messages.map(text)).size;
      const atQos = sub.messages.filter((m) => m.qos === qos).length;
      const note = `${got}/${count} delivered${via(t)}`;
      if (g?.qos !== qos) return { verdict: got > 0 ? 'partial' : 'no', note: `SUBACK granted ${g?.qos}; ${note}` };
      if (got === count && atQos === sub.messages.length) return { verdict: 'yes', note };
      return { verdict: got > 0 ? 'partial' : 'no', note: `${note}, ${atQos} at QoS ${qos}` };
    });
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

const probeQos0 = (t: Target) => probeQos(t, 0);
const probeQos1 = (t: Target) => probeQos(t, 1);

/** The availability pattern: a retained `online` that every late subscriber, on every node, sees at once. */
async function probeRetained(t: Target): Promise<Cell> {
  const topic = uniqueTopic('availability');
  try {
    return await withProbes(async (open) => {
      const pub = await open(t.pub);
      await pub.client.publishAsync(topic, 'online', { qos: 1, retain: true });
      let seen = 0;
      for (const url of t.urls) {
        const late = await open(url);
        await late.client.subscribeAsync(topic, { qos: 1 });
        if (await late.waitCount((m) => m.retain && text(m) === 'online', 1)) seen += 1;
      }
      await pub.client.publishAsync(topic, '', { qos: 1, retain: true }); // cleared for the next run
      const where = t.urls.length === 1 ? 'a late subscriber sees it' : `late subscribers on ${seen} of ${t.urls.length} nodes see it`;
      return { verdict: seen === t.urls.length ? 'yes' : seen > 0 ? 'partial' : 'no', note: `retained "online": ${where}` };
    });
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

/** A client whose socket is destroyed (no DISCONNECT): its will must reach a watcher. */
async function probeWill(t: Target): Promise<Cell> {
  const topic = uniqueTopic('will');
  try {
    return await withProbes(async (open) => {
      const watcher = await open(t.sub);
      await watcher.client.subscribeAsync(topic, { qos: 1 });
      const dying = await open(t.pub, { keepalive: 10, will: { topic, payload: Buffer.from('offline'), qos: 1, retain: true } });
      const start = Date.now();
      dying.client.stream.destroy();
      const ok = await watcher.waitCount((m) => text(m) === 'offline', 1, 20_000);
      if (!ok) return { verdict: 'no', note: 'no will within 20 s of the socket closing' };
      const late = await open(t.sub);
      await late.client.subscribeAsync(topic, { qos: 1 });
      const retained = await late.waitCount((m) => m.retain && text(m) === 'offline', 1);
      await late.client.publishAsync(topic, '', { qos: 1, retain: true });
      return {
        verdict: retained ? 'yes' : 'partial',
        note: `"offline" ${Date.now() - start} ms after the socket closed${via(t)}${retained ? ', kept retained' : ', not retained'}`,
      };
    });
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

/** clean: false with a fixed client id: QoS 1 messages sent while the client is away arrive when it comes back. */
async function probeSession(t: Target, resumeUrl = t.sub): Promise<Cell> {
  const topic = uniqueTopic('session');
  const clientId = `mgc-session-${randomBytes(4).toString('hex')}`;
  const count = 10;
  try {
    return await withProbes(async (open) => {
      const first = await open(t.sub, { clientId, clean: false });
      await first.client.subscribeAsync(topic, { qos: 1 });
      await first.close();
      const pub = await open(t.pub);
      await publishNumbered(pub, topic, count, 1);
      const back = await open(resumeUrl, { clientId, clean: false });
      await back.waitCount(() => true, count);
      const got = new Set(back.messages.map(text)).size;
      const note = `${got}/${count} sent while away delivered, session present: ${back.connack.sessionPresent}`;
      await back.client.unsubscribeAsync(topic);
      if (got === count && back.connack.sessionPresent) return { verdict: 'yes', note };
      return { verdict: got > 0 ? 'partial' : 'no', note };
    });
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

/** Two members of `$share/<group>/<topic>`: each message must reach exactly one of them. */
async function probeShared(t: Target): Promise<Cell> {
  const topic = uniqueTopic('shared');
  const count = 20;
  try {
    return await withProbes(async (open) => {
      const members = [await open(t.sub), await open(t.pub)];
      const granted: number[] = [];
      for (const m of members) {
        const [g] = await m.client.subscribeAsync(`$share/mgcompat/${topic}`, { qos: 1 });
        granted.push(g?.qos ?? 128);
      }
      if (granted.every((g) => g === 128)) return { verdict: 'no', note: 'SUBACK refused the $share filter' };
      const pub = await open(t.pub);
      const payloads = await publishNumbered(pub, topic, count, 1);
      const all = () => members.flatMap((m) => m.messages);
      const deadline = Date.now() + WAIT_MS;
      while (all().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300)); // copies to the second member, if any, arrive now
      const times = payloads.map((p) => all().filter((m) => text(m) === p).length);
      const split = members.map((m) => m.messages.length).join('/');
      if (all().length === 0) {
        // Is the filter a plain topic named "$share/..."? A publish to that very name tells.
        await pub.client.publishAsync(`$share/mgcompat/${topic}`, 'literal', { qos: 1 });
        const literal = await members[0]!.waitCount((m) => text(m) === 'literal', 1, 1_000);
        return { verdict: 'no', note: `SUBACK granted, nothing delivered${literal ? ': the filter is taken as a plain topic named "$share/..."' : ''}` };
      }
      if (times.every((n) => n === 1)) return { verdict: 'yes', note: `each message to exactly one member, split ${split}` };
      if (times.every((n) => n === members.length)) return { verdict: 'no', note: `every member got every message (no sharing), ${split}` };
      return { verdict: 'partial', note: `${times.filter((n) => n === 1).length}/${count} to exactly one member, split ${split}` };
    });
  } catch (err) {
    return { verdict: 'no', note: failure(err) };
  }
}

/** An MQTT 5 CONNECT, then a round trip on MQTT 5. */
async function probeMqtt5(t: Target): Promise<Cell> {
  const topic = uniqueTopic('v5');
  try {
    return await withProbes(async (open) => {
      const c = await open(t.pub, { protocolVersion: 5 });
      await c.client.subscribeAsync(topic, { qos: 1 });
      await c.client.publishAsync(topic, 'five', { qos: 1 });
      const ok = await c.waitCount((m) => text(m) === 'five', 1);
      return ok ? { verdict: 'yes', note: 'CONNACK accepted, QoS 1 round trip on MQTT 5' } : { verdict: 'partial', note: 'CONNACK accepted, no round trip' };
    });
  } catch (err) {
    return { verdict: 'no', note: `CONNECT refused: ${failure(err)}` };
  }
}

/** Every probe, by column. */
export const PROBES: Record<Feature, (t: Target) => Promise<Cell>> = {
  connect: probeConnect,
  qos0: probeQos0,
  qos1: probeQos1,
  retained: probeRetained,
  will: probeWill,
  session: probeSession,
  shared: probeShared,
  mqtt5: probeMqtt5,
};

export interface CompatRow {
  broker: string;
  cells: Partial<Record<Feature, Cell>>;
}

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table as Markdown: one row per broker, one column per feature, "**yes** — note" in each cell. */
export function formatCompatTable(rows: readonly CompatRow[]): string {
  const header = ['Broker', ...FEATURES.map((f) => f.title)];
  const lines = rows.map((r) =>
    [r.broker, ...FEATURES.map(({ key }) => (r.cells[key] ? `**${r.cells[key].verdict}**: ${r.cells[key].note}` : 'not measured'))].map(escape),
  );
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...lines.map(line)].join('\n');
}

/** Where the compatibility table goes, beside the suite's table. */
const COMPAT_FILE = join(dirname(ROWS_FILE), 'compat.md');

/** Whether every cell was measured: a run of a few probes must not replace the page's table. */
function isComplete(rows: readonly CompatRow[]): boolean {
  return rows.length > 0 && rows.every((r) => FEATURES.every(({ key }) => r.cells[key] !== undefined));
}

/**
 * Writes the table and the findings as Markdown; returns the table. With UPDATE_DOCS=1 a
 * complete table also goes into docs/reliability.md (`page`).
 */
export function writeCompatReport(rows: readonly CompatRow[], findings: readonly string[], file = COMPAT_FILE, page = RELIABILITY_PAGE): string {
  const table = formatCompatTable(rows);
  const notes = findings.length === 0 ? '' : `\n\nMeasured by the same run:\n\n${findings.map((f) => `- ${f}`).join('\n')}`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${table}${notes}\n`);
  if (isComplete(rows)) updateDocSection(page, 'compat', table);
  return table;
}
