import { bool, int, level, port, section, string, type ConfigValues, defineConfig } from '@mg/config';

/** The `[LOG]` section: the schema gives the options, their defaults and their documentation. */
export const logSection = section(
  {
    consolelevel: level('none', 'Level of the log printed on standard output. Warnings and errors always go to standard error as well, whatever this says.'),
    logfilename: string(
      '',
      'Log file; empty for none, "." for <app>.log. A name ending in "/" is a directory that gets <app>.log. Relative names are looked up next to this file, then in the working directory, then next to the launcher.',
    ),
    filelevel: level('info', 'Level of the log written to the file.'),
    filenum: int(3, 'Number of rotated log files kept besides the current one.', { min: 0, max: 1000 }),
    filesize: int(50000, 'Size in KB at which the log file is rotated.', { min: 1 }),
    emailhost: string('', 'SMTP server that CRITICAL records are mailed through; empty for no email.'),
    emailport: port(25, 'Port of the SMTP server.'),
    emailaddress: string('', 'Address CRITICAL records are sent to, and from unless emailfrom is set.'),
    emailfrom: string('', 'Sender address of the mails; empty for emailaddress.'),
    emailuser: string('', 'User name for SMTP authentication; empty for none.'),
    emailpassword: string('', 'Password for SMTP authentication.', { secret: true }),
    emailsecure: bool(false, 'Connect to the SMTP server over TLS from the start (port 465 usually); off uses STARTTLS when offered.'),
  },
  'Logging: standard error (WARN and above, always), console, rotating files, and email of CRITICAL records.',
);

/** Typed `[LOG]` values. */
export type LogSettings = ConfigValues<ReturnType<typeof defineConfig<{ LOG: typeof logSection }>>>['LOG'];
