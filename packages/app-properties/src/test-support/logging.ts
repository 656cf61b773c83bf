import { PassThrough } from 'node:stream';
import type { LogSettings } from '../index.js';

/** `[LOG]` settings with every output off but standard error, for the logging tests. */
export const baseSettings: LogSettings = {
  consolelevel: 'none',
  logfilename: '',
  filelevel: 'info',
  filenum: 3,
  filesize: 50000,
  emailhost: '',
  emailport: 25,
  emailaddress: '',
  emailfrom: '',
  emailuser: '',
  emailpassword: '',
  emailsecure: false,
};

/** A stream that keeps what is written, read back as lines. */
export function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean) };
}
