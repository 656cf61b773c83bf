import type { LineTransport } from '@mg/device-io';
import type { CommandAnswers } from '../profile/compiled.js';
import { failureReason } from './reply-reasons.js';

/** How a command went: accepted (with the line), or why not, worded for the sender (`reason`) and for the log (`detail`). */
export type CommandOutcome =
  | { ok: true; line: string; attempts: number }
  | { ok: false; kind: 'refused' | 'busy' | 'timeout' | 'not-connected' | 'stopped' | 'failed'; reason: string; detail?: string; attempts: number };

export interface SendCommandOptions {
  readonly answers: CommandAnswers;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** The device's words in a refusal: the group named reason, else group 1, else the whole line. */
export function refusalWords(line: string, refused: RegExp): string {
  const m = refused.exec(line);
  const words = m?.groups?.reason ?? m?.[1] ?? line;
  return words.trim() === '' ? line : words.trim();
}

/**
 * Sends a command and waits for what the device makes of it: a confirmation, a refusal (at
 * once, with the device's words), or busy (sent again after a delay, a few times). Every
 * device-side outcome resolves; the answering line is not consumed, so it is also a device
 * line like any other (a confirmation is a status too).
 */
export async function sendCommand(transport: LineTransport, command: string, o: SendCommandOptions): Promise<CommandOutcome> {
  const { ok, refused, busy, busyRetries, busyDelayMs } = o.answers;
  const any = (line: string) => busy?.test(line) === true || refused?.test(line) === true || ok(line);
  for (let attempt = 1; ; attempt += 1) {
    let line: string;
    try {
      // No signal here: a stop rejects the request with the transport's own "stopped" error.
      line = await transport.request(command, { match: any, consume: false, timeoutMs: o.timeoutMs });
    } catch (err) {
      const failure = failureReason(err, o.timeoutMs / 1000);
      return { ok: false, kind: failure.kind, reason: failure.reason, ...(failure.log !== undefined && { detail: failure.log }), attempts: attempt };
    }
    // Busy first: "ERR BUSY" is busy even when the refusal pattern is "ERR (?<reason>.*)".
    if (busy?.test(line)) {
      if (attempt > busyRetries) {
        const tries = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
        return { ok: false, kind: 'busy', reason: `the device stayed busy (${tries}): ${line}`, attempts: attempt };
      }
      await wait(busyDelayMs, o.signal);
      continue;
    }
    if (refused?.test(line)) return { ok: false, kind: 'refused', reason: `refused by the device: ${refusalWords(line, refused)}`, attempts: attempt };
    return { ok: true, line, attempts: attempt };
  }
}
