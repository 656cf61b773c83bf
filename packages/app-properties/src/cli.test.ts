import { helpText, parseCommandLine } from './cli.js';
import { CommandLineError } from './errors.js';

describe('parseCommandLine', () => {
  it.each<[string[], object]>([
    [[], { conf: undefined, check: false, help: false, version: false }],
    [['-c', 'x.conf'], { conf: 'x.conf' }],
    [['--conf', '/etc/x.conf'], { conf: '/etc/x.conf' }],
    [['--conf=/etc/x.conf'], { conf: '/etc/x.conf' }],
    [['--check'], { check: true }],
    [['-h'], { help: true }],
    [['--help'], { help: true }],
    [['-V'], { version: true }],
    [['--version', '-c', 'a'], { version: true, conf: 'a' }],
  ])('%j', (argv, expected) => {
    expect(parseCommandLine(argv)).toMatchObject(expected);
  });

  it.each([[['--nope']], [['-c']], [['extra']], [['-c', '']]])('rejects %j with a clear error', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(CommandLineError);
    try {
      parseCommandLine(argv);
    } catch (err) {
      expect((err as CommandLineError).code).toBe('CLI_BAD_ARGUMENT');
    }
  });

  it('help names the default configuration file', () => {
    expect(helpText('dummy2mqtt', 'A dummy gateway.')).toContain('default: dummy2mqtt.conf');
    expect(helpText('dummy2mqtt')).toContain('--check');
  });
});
