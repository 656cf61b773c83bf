import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileErrorReason } from '@mg/errors';
import { LogFileError } from './errors.js';
import Transport from 'winston-transport';

export interface RotatingFileOptions {
  filename: string;
  level: string;
  /** Rotate before a record would take the file past this many bytes. */
  maxBytes: number;
  /** Old files kept: `<file>.1` (newest) to `<file>.<backups>`. 0 empties the file instead. */
  backups: number;
}

const MESSAGE = Symbol.for('message');

/**
 * Size-rotated log files named as Python's RotatingFileHandler names them (`app.log`,
 * `app.log.1`, ...). winston's own File transport loses records when it rotates under a burst
 * (winston issues #908, #1504), which is when a log matters most; writes here are synchronous,
 * as in the original, so a record is on disk when `log` returns and nothing is lost at exit.
 */
export class RotatingFileTransport extends Transport {
  private fd: number | undefined;
  private size = 0;

  constructor(private readonly options: RotatingFileOptions) {
    super({ level: options.level });
    try {
      mkdirSync(dirname(options.filename), { recursive: true });
      this.open();
    } catch (err) {
      throw new LogFileError(
        `[LOG] logfilename: cannot write the log file ${options.filename}: ${fileErrorReason(err)}; give a path in a directory the gateway may write to`,
        { cause: err },
      );
    }
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const data = Buffer.from(`${String(info[MESSAGE] ?? info.message)}\n`);
    if (this.size > 0 && this.size + data.length > this.options.maxBytes) this.rotate();
    if (this.fd !== undefined) {
      writeSync(this.fd, data);
      this.size += data.length;
    }
    this.emit('logged', info);
    callback();
  }

  override close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    this.fd = openSync(this.options.filename, 'a');
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    const { filename, backups } = this.options;
    if (backups === 0) {
      rmSync(filename, { force: true });
    } else {
      rmSync(`${filename}.${backups}`, { force: true });
      for (let n = backups - 1; n >= 1; n--) {
        if (existsSync(`${filename}.${n}`)) renameSync(`${filename}.${n}`, `${filename}.${n + 1}`);
      }
      renameSync(filename, `${filename}.1`);
    }
    this.open();
  }
}
