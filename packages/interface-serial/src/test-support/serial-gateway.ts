import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '@mg/config';
import { createTestGateway, type TestGateway } from '@mg/core/testing';
import type { PublishedMessage } from '@mg/core/testing';
import { SerialInterface } from '../serial-interface.js';
import { shippedProfilePath } from '../profile/shipped.js';

const PKG_DIR = join(__dirname, '..', '..');
export const MAP_FILE = join(PKG_DIR, 'serial2mqtt.map.json');
/** Where the shipped map and configuration put the receiver. */
export const COMMAND_TOPIC = 'home/audiovideo//living_room/receiver/tester/C';
export const STATUS_TOPIC = 'home/audiovideo//living_room/receiver/serial2mqtt/S';

/** A JSON payload of the receiver's topic: an object. */
export type Payload = Record<string, unknown>;

/** serial2mqtt in memory (the shipped map, no broker) with the configuration's characteristics. */
export function serialGateway(options: Readonly<Record<string, ConfigInput>>): TestGateway & {
  /** JSON payloads published on the receiver's status topic, in order. */
  payloads(): Payload[];
  /** The first payload on that topic (already, or to come) that `match` accepts. */
  waitForPayload(match: (p: Payload) => boolean, timeoutMs?: number): Promise<Payload>;
} {
  const gw = createTestGateway(SerialInterface, {
    appName: 'serial2mqtt',
    options: { profile: 'denon-avr', function: 'AudioVideo', location: 'LivingRoom', device: 'Receiver', reconnectmin: 0.05, reconnectmax: 0.2, ...options },
    mqtt: { mapping: true, mapfilename: MAP_FILE },
  });
  const parse = (m: PublishedMessage): Payload => (m.payload.startsWith('{') ? (JSON.parse(m.payload) as Payload) : { action: m.payload });
  return Object.assign(gw, {
    payloads: () => gw.published.filter((m) => m.topic === STATUS_TOPIC).map(parse),
    waitForPayload: async (match: (p: Payload) => boolean, timeoutMs = 5_000) =>
      parse(await gw.waitFor((m) => m.topic === STATUS_TOPIC && match(parse(m)), { since: 'start', timeoutMs })),
  });
}

/** True for the reply to a command for `action` (as MQTT names it). */
export const isReply = (action: string) => (p: Payload) => p.action === action && 'response' in p;

/** The denon-avr profile with another command spacing, in a temporary file (remove it with `cleanup`). */
export function denonProfileWithSpacing(spacingMs: number): { path: string; cleanup: () => void } {
  return denonProfileVariant(`denon-avr-${spacingMs}ms`, (profile) => ({ ...profile, spacingMs }));
}

/** The denon-avr profile as `change` makes it, named `name`, in a temporary file (remove it with `cleanup`). */
export function denonProfileVariant(name: string, change: (profile: Payload) => Payload): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-serial-profile-'));
  const profile = JSON.parse(readFileSync(shippedProfilePath('denon-avr')!, 'utf8')) as Payload;
  delete profile.$schema;
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...change(profile), name }));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `condition` every 10 ms. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
