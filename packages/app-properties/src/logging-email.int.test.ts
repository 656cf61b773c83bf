// CRITICAL records by email, through a real SMTP server on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createLogging } from './index.js';
import { baseSettings, capture } from './test-support/logging.js';

const base = baseSettings;

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mg-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('email of CRITICAL records', () => {
  interface Mail {
    from: string;
    to: string[];
    body: string;
  }
  let server: SMTPServer;
  let port: number;
  let mails: Mail[];

  beforeEach(async () => {
    mails = [];
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            body: Buffer.concat(chunks).toString(),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(resolve)));

  it('mails CRITICAL records and nothing below', async () => {
    const logging = createLogging({
      appName: 'dummy2mqtt',
      settings: { ...base, emailhost: '127.0.0.1', emailport: port, emailaddress: 'ops@example.test' },
      stderr: capture().stream,
    });
    const log = logging.logger('core');
    log.error('just an error');
    log.warn('a warning');
    log.critical('broker credentials refused');
    await logging.close();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.from).toBe('ops@example.test');
    expect(mail.to).toEqual(['ops@example.test']);
    expect(mail.body).toMatch(/^Subject: CRITICAL error in dummy2mqtt on \S+/m);
    expect(mail.body).toMatch(/dummy2mqtt\.core CRITICAL: broker credentials refused/);
    expect(mail.body).not.toContain('just an error');
  });

  it('holds back a storm of CRITICAL records (one mail per minute)', async () => {
    const logging = createLogging({
      appName: 'app',
      settings: { ...base, emailhost: '127.0.0.1', emailport: port, emailaddress: 'ops@example.test', emailfrom: 'gw@example.test' },
      stderr: capture().stream,
    });
    for (let i = 0; i < 5; i++) logging.logger('x').critical(`crash ${i}`);
    await logging.close();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.from).toBe('gw@example.test');
  });

  it('reports a mail that cannot be delivered on stderr, without throwing', async () => {
    const err = capture();
    await new Promise<void>((resolve) => server.close(resolve));
    const logging = createLogging({
      appName: 'app',
      settings: { ...base, emailhost: '127.0.0.1', emailport: port, emailaddress: 'ops@example.test' },
      stderr: err.stream,
    });
    logging.logger('x').critical('down');
    await logging.close();
    server = new SMTPServer({ logger: false }); // afterEach closes something
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(err.lines().some((l) => l.includes(`app.logging ERROR: could not mail a CRITICAL record through 127.0.0.1:${port}`))).toBe(true);
  });
});
