import { performance } from 'node:perf_hooks';
import { DeviceOptionError, isDeviceIoError, messageOf, type DeviceIoErrorCode } from './errors.js';
import { printable } from './logger.js';
import type { RequestOptions } from './options.js';
import type { AnswerMatch } from './request-matcher.js';

/** What the answers to a command look like. A line that fits several is busy first, then refused, then ok. */
export interface AnswerPatterns {
  /** What an acceptance looks like. Named groups of a RegExp come back in `groups`. */
  ok: AnswerMatch;
  /** What a refusal looks like; the device's words: named group `reason`, else group 1, else the line. */
  refused?: RegExp;
  /** What "busy, try later" looks like: the command is sent again after busyDelayMs, busyRetries times at most. */
  busy?: AnswerMatch;
  /** Sends after a busy answer, at most. Default 2 (3 attempts in all). */
  busyRetries?: number;
  /** Wait before each of them, ms; the same each time (a device busy for longer stays busy). Default 500. */
  busyDelayMs?: number;
}

export interface AskOptions extends AnswerPatterns {
  /** How long to wait for an answer after each send, ms. Default: the transport's requestTimeoutMs. */
  timeoutMs?: number;
  /** Gives up when it aborts: ask() rejects with the signal's reason, as request() does. */
  signal?: AbortSignal;
  /** False: the answers are also emitted as `line` events. Default true. */
  consume?: boolean;
}

/** How a command went: every outcome on the device's side is a value, never a throw. */
export type AskResult =
  | { ok: true; line: string; groups: Record<string, string>; attempts: number }
  | {
      ok: false;
      kind: 'refused' | 'busy' | 'timeout' | 'not-connected' | 'stopped' | 'failed';
      /** Short, for the MQTT reply, worded for the sender: "refused by the device: out of range". */
      reason: string;
      /** Longer, for the log (address, command, timings). */
      detail: string;
      /** The device's answer, for `refused` and `busy`. */
      line?: string;
      attempts: number;
    };

type Failure = Extract<AskResult, { ok: false }>;

/** What ask() needs of its transport. */
export interface AskLink {
  readonly name: string;
  readonly requestTimeoutMs: number;
  /** Aborts when the transport stops, so that a wait between busy answers ends at once. */
  readonly halted: AbortSignal;
  /** request(), calling `written` when the command goes out. */
  exchange(command: string | Uint8Array, options: RequestOptions, written: () => void): Promise<string>;
  text(command: string | Uint8Array): string;
}

export type Verdict = { kind: 'ok'; groups: Record<string, string> } | { kind: 'refused'; words: string } | { kind: 'busy' };

const DEFAULT_BUSY_RETRIES = 2;
const DEFAULT_BUSY_DELAY_MS = 500;
/** Device words longer than this are cut in a reason (the whole line is in the detail). */
const MAX_WORDS = 120;

const KINDS: Partial<Record<DeviceIoErrorCode, Failure['kind']>> = {
  DEVICE_IO_TIMEOUT: 'timeout',
  DEVICE_IO_NOT_CONNECTED: 'not-connected',
  DEVICE_IO_STOPPED: 'stopped',
};

/**
 * Sends `command` and sorts its answer: acceptance, refusal, or busy (sent again after a
 * pause, a few times); a timeout, a lost or absent connection and a stop are results too.
 * Rejects only for options that cannot work (DeviceOptionError) and when `signal` aborts.
 */
export async function ask(link: AskLink, command: string | Uint8Array, options: AskOptions): Promise<AskResult> {
  const { timeoutMs, busyRetries, busyDelayMs } = checked(options, link.requestTimeoutMs);
  const classify = answerClassifier(options);
  const { signal } = options;
  const shown = `"${printable(link.text(command))}" to ${link.name}`;
  let attempts = 0;
  for (;;) {
    const seen: { verdict?: Verdict } = {};
    const started = performance.now();
    let line: string;
    try {
      const match = (l: string) => (seen.verdict = classify(l)) !== undefined;
      line = await link.exchange(command, { match, timeoutMs, consume: options.consume ?? true, signal }, () => (attempts += 1));
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      return failure(err, attempts);
    }
    const verdict = seen.verdict ?? { kind: 'ok', groups: {} };
    const ms = Math.round(performance.now() - started);
    if (verdict.kind === 'ok') return { ok: true, line, groups: verdict.groups, attempts };
    if (verdict.kind === 'refused') {
      const detail = `${shown} refused after ${ms} ms (attempt ${attempts}): "${printable(line)}"`;
      return { ok: false, kind: 'refused', reason: `refused by the device: ${verdict.words}`, detail, line, attempts };
    }
    if (attempts > busyRetries) {
      const reason = attempts === 1 ? 'the device is busy' : `the device stayed busy after ${attempts} attempts`;
      const detail = `${shown} answered busy ${attempts} times, ${busyDelayMs} ms apart: "${printable(line)}"`;
      return { ok: false, kind: 'busy', reason, detail, line, attempts };
    }
    await pause(busyDelayMs, [signal, link.halted]);
    if (signal?.aborted) throw signal.reason;
  }
}

/** Sorts a line: busy first, then refused, then ok (a busy answer is a refusal, which is an answer); undefined for none. */
export function answerClassifier(patterns: AnswerPatterns): (line: string) => Verdict | undefined {
  const busy = patterns.busy instanceof RegExp ? exec(patterns.busy) : patterns.busy;
  const refused = patterns.refused && exec(patterns.refused);
  const ok = patterns.ok instanceof RegExp ? exec(patterns.ok) : patterns.ok;
  return (line) => {
    if (busy?.(line)) return { kind: 'busy' };
    const no = refused?.(line);
    if (no) return { kind: 'refused', words: deviceWords(no, line) };
    const yes = ok(line);
    if (!yes) return undefined;
    return { kind: 'ok', groups: yes === true ? {} : named(yes) };
  };
}

/** A stateless exec: without /g, and from the start for /y, so that every line gets the same verdict. */
function exec(pattern: RegExp): (line: string) => RegExpExecArray | null {
  const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return (line) => {
    re.lastIndex = 0;
    return re.exec(line);
  };
}

function deviceWords(m: RegExpExecArray, line: string): string {
  const words = (m.groups?.reason ?? m[1] ?? '').trim() || line.trim() || line;
  return words.length > MAX_WORDS ? `${words.slice(0, MAX_WORDS)}...` : words;
}

function named(m: RegExpExecArray): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.groups ?? {})) if (value !== undefined) groups[name] = value;
  return groups;
}

function failure(err: unknown, attempts: number): Failure {
  if (!isDeviceIoError(err)) return { ok: false, kind: 'failed', reason: 'the command failed in the gateway', detail: messageOf(err), attempts };
  const detail = attempts > 1 ? `${err.message} (attempt ${attempts})` : err.message;
  return { ok: false, kind: KINDS[err.code] ?? 'failed', reason: err.reason, detail, attempts };
}

function checked(o: AskOptions, defaultTimeoutMs: number): { timeoutMs: number; busyRetries: number; busyDelayMs: number } {
  const bad = (what: string, value: unknown) => new DeviceOptionError(`ask(): ${what}, got ${String(value)}`);
  const isMatch = (m: unknown) => m instanceof RegExp || typeof m === 'function';
  if (!isMatch(o.ok)) throw bad('ok must be a RegExp or a (line) => boolean function', o.ok);
  if (o.refused !== undefined && !(o.refused instanceof RegExp)) throw bad('refused must be a RegExp', o.refused);
  if (o.busy !== undefined && !isMatch(o.busy)) throw bad('busy must be a RegExp or a (line) => boolean function', o.busy);
  const timeoutMs = o.timeoutMs ?? defaultTimeoutMs;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw bad('timeoutMs must be a number of milliseconds > 0', o.timeoutMs);
  const busyRetries = o.busyRetries ?? DEFAULT_BUSY_RETRIES;
  if (!Number.isInteger(busyRetries) || busyRetries < 0) throw bad('busyRetries must be a whole number >= 0', o.busyRetries);
  const busyDelayMs = o.busyDelayMs ?? DEFAULT_BUSY_DELAY_MS;
  if (!(busyDelayMs >= 0) || !Number.isFinite(busyDelayMs)) throw bad('busyDelayMs must be a number of milliseconds >= 0', o.busyDelayMs);
  return { timeoutMs, busyRetries, busyDelayMs };
}

/** Waits `ms`, or less when one of the signals aborts. */
function pause(ms: number, signals: (AbortSignal | undefined)[]): Promise<void> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.some((s) => s.aborted)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of live) s.addEventListener('abort', done, { once: true });
  });
}
