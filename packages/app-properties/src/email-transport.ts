import { hostname } from 'node:os';
import { Throttle } from '@mg/throttled-error';
import type { Transporter } from 'nodemailer';
import Transport from 'winston-transport';

export interface EmailTransportOptions {
  appName: string;
  host: string;
  port: number;
  to: string;
  from?: string;
  user?: string;
  password?: string;
  secure?: boolean;
  /** At most one mail per this many ms; the next one says how many were held back. Default 60 s. */
  lagMs?: number;
  /** Where delivery failures are reported (the logger cannot be used: it would loop). */
  onError: (message: string) => void;
}

const MESSAGE = Symbol.for('message');

/** Mails CRITICAL records over SMTP (nodemailer), throttled so a crash loop cannot flood a mailbox. */
export class EmailTransport extends Transport {
  private readonly mailer: Transporter;
  private readonly throttle: Throttle;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: EmailTransportOptions) {
    super({ level: 'critical' });
    // Loaded only when mail is configured: nodemailer adds ~10 MB to every gateway otherwise.
    const nodemailer = require('nodemailer') as typeof import('nodemailer');
    this.mailer = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      auth: options.user ? { user: options.user, pass: options.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    this.throttle = new Throttle({ kind: 'critical', lagMs: options.lagMs ?? 60_000 });
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const line = String(info[MESSAGE] ?? info.message);
    const verdict = this.throttle.hit(line);
    if (verdict.trigger) {
      const { appName, to, from } = this.options;
      const sending = this.mailer
        .sendMail({
          from: from || to,
          to,
          subject: `CRITICAL error in ${appName} on ${hostname()}`,
          text: `${verdict.report}\n\n-- \n${appName} on ${hostname()}, process ${process.pid}\n`,
        })
        .then(
          () => undefined,
          (err: Error) => this.options.onError(`could not mail a CRITICAL record through ${this.options.host}:${this.options.port}: ${err.message}`),
        )
        .finally(() => this.pending.delete(sending));
      this.pending.add(sending);
    }
    this.emit('logged', info);
    callback();
  }

  /** Waits for mails still being sent, then closes the SMTP connection. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
    this.mailer.close();
  }
}
