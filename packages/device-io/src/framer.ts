import { DeviceOptionError } from './errors.js';

/** How bytes become text, both ways. `latin1` maps every byte to one character and back. */
export type DeviceEncoding = 'latin1' | 'ascii' | 'utf8';

/** Lines ended by a terminator (any of several). */
export interface TerminatorFraming {
  /**
   * What ends a line: one string or several, any of which ends a line. Default
   * `['\r\n', '\r', '\n']`. When one terminator starts another (`\r` and `\r\n`), the longer
   * one wins, even split across two reads.
   */
  terminator?: string | readonly string[];
  /**
   * Longest line kept, in bytes, terminator excluded. Default 1024. A longer line is dropped up
   * to its terminator and reported once (an `overflow`): the buffer never grows beyond this.
   */
  maxLineBytes?: number;
  /** Drop empty lines (a blank line between two terminators). Default true. */
  skipEmpty?: boolean;
}

/** Frames of a fixed number of bytes. */
export interface LengthFraming {
  /** Bytes per frame. */
  length: number;
}

export type FramingOptions = TerminatorFraming | LengthFraming;

/** An over-long line that was dropped. */
export interface OverflowInfo {
  /** The limit it went over (`maxLineBytes`). */
  maxLineBytes: number;
  /** Its first bytes, decoded, to recognise it in a log line. */
  head: string;
}

export interface FramerSinks {
  frame(bytes: Buffer): void;
  overflow(info: OverflowInfo): void;
}

export const DEFAULT_TERMINATORS: readonly string[] = ['\r\n', '\r', '\n'];
const DEFAULT_MAX_LINE_BYTES = 1024;
const HEAD_BYTES = 32;

/**
 * Cuts a byte stream into frames. Works on bytes, not text, so that a multi-byte character or
 * a terminator split across two reads is never mangled; frames are copies, never views of the
 * read buffers.
 */
export class Framer {
  private readonly terminators: Buffer[] = [];
  private readonly longest: number = 0;
  private readonly length: number | undefined;
  private readonly maxLineBytes: number;
  private readonly skipEmpty: boolean;
  private pending: Buffer = Buffer.alloc(0);
  private discarding = false;
  /** What would complete a longer terminator whose first part ended the previous read. */
  private carry: Buffer[] = [];

  constructor(
    options: FramingOptions,
    private readonly encoding: DeviceEncoding,
    private readonly sinks: FramerSinks,
  ) {
    if ('length' in options) {
      if (!Number.isInteger(options.length) || options.length < 1) {
        throw new DeviceOptionError(`framing length must be a whole number of bytes >= 1, got ${String(options.length)}`);
      }
      this.length = options.length;
      this.maxLineBytes = options.length;
      this.skipEmpty = false;
      return;
    }
    const list = typeof options.terminator === 'string' ? [options.terminator] : (options.terminator ?? DEFAULT_TERMINATORS);
    if (list.length === 0 || list.some((t) => typeof t !== 'string' || t === '')) {
      throw new DeviceOptionError('framing terminator must be a non-empty string or a list of them, e.g. "\\r" or ["\\r\\n", "\\n"]');
    }
    // Longest first: at equal positions the longer terminator wins.
    this.terminators = list.map((t) => Buffer.from(t, encoding)).sort((a, b) => b.length - a.length);
    this.longest = this.terminators[0]!.length;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(this.maxLineBytes) || this.maxLineBytes < 1) {
      throw new DeviceOptionError(`framing maxLineBytes must be a whole number >= 1, got ${String(options.maxLineBytes)}`);
    }
    this.skipEmpty = options.skipEmpty ?? true;
  }

  /** Bytes held while waiting for the rest of a frame (bounded by maxLineBytes + terminator). */
  get buffered(): number {
    return this.pending.length;
  }

  /** Forgets a partial frame (after a reconnection: its end will never come). */
  reset(): void {
    this.pending = Buffer.alloc(0);
    this.discarding = false;
    this.carry = [];
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.length !== undefined) return this.pushFixed(chunk);
    chunk = this.swallowCarry(chunk);
    if (chunk.length === 0) return;
    // Only the tail of what was already searched can hold the start of a split terminator.
    const from = Math.max(0, this.pending.length - (this.longest - 1));
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = 0;
    let searchAt = from;
    for (;;) {
      const found = this.findTerminator(buf, searchAt);
      if (!found) break;
      const [at, term] = found;
      this.endLine(buf.subarray(start, at));
      start = at + term.length;
      searchAt = start;
      if (start === buf.length) this.carry = this.continuations(term);
    }
    this.keepRest(buf.subarray(start));
  }

  private pushFixed(chunk: Buffer): void {
    const size = this.length!;
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = 0;
    for (; buf.length - start >= size; start += size) this.sinks.frame(Buffer.from(buf.subarray(start, start + size)));
    this.pending = Buffer.from(buf.subarray(start));
  }

  private findTerminator(buf: Buffer, from: number): [number, Buffer] | undefined {
    let best: [number, Buffer] | undefined;
    for (const term of this.terminators) {
      const at = buf.indexOf(term, from);
      // Terminators are sorted longest first, so a tie keeps the longer one.
      if (at >= 0 && (best === undefined || at < best[0])) best = [at, term];
    }
    return best;
  }

  private endLine(line: Buffer): void {
    if (this.discarding) {
      // The end of an over-long line, already reported.
      this.discarding = false;
      return;
    }
    if (line.length > this.maxLineBytes) return this.overflow(line);
    if (line.length === 0 && this.skipEmpty) return;
    this.sinks.frame(Buffer.from(line));
  }

  private keepRest(rest: Buffer): void {
    const slack = this.longest - 1;
    if (!this.discarding && rest.length > this.maxLineBytes + slack) {
      this.overflow(rest);
      this.discarding = true;
    }
    // While discarding, only what may be the start of the terminator is worth keeping.
    this.pending = Buffer.from(this.discarding ? rest.subarray(Math.max(0, rest.length - slack)) : rest);
  }

  private overflow(line: Buffer): void {
    this.sinks.overflow({ maxLineBytes: this.maxLineBytes, head: line.subarray(0, HEAD_BYTES).toString(this.encoding) });
  }

  /** The rests of the longer terminators that `term` begins, to drop if the next read starts with one. */
  private continuations(term: Buffer): Buffer[] {
    return this.terminators.filter((t) => t.length > term.length && t.subarray(0, term.length).equals(term)).map((t) => t.subarray(term.length));
  }

  private swallowCarry(chunk: Buffer): Buffer {
    const carry = this.carry;
    if (carry.length === 0) return chunk;
    this.carry = [];
    for (const rest of carry) {
      if (chunk.length >= rest.length && chunk.subarray(0, rest.length).equals(rest)) return chunk.subarray(rest.length);
      // The continuation itself split across reads (three-byte terminators and longer).
      if (chunk.length < rest.length && rest.subarray(0, chunk.length).equals(chunk)) {
        this.carry = [rest.subarray(chunk.length)];
        return chunk.subarray(chunk.length);
      }
    }
    return chunk;
  }
}
