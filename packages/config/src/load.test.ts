import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  bool,
  choice,
  defineConfig,
  describeConfig,
  int,
  level,
  list,
  loadConfig,
  number,
  passthroughSection,
  port,
  renderDefaults,
  renderOptionsTable,
  section,
  string,
  type ConfigValues,
} from './index.js';

const schema = defineConfig({
  MQTT: section(
    {
      host: string('127.0.0.1', 'Broker host.'),
      port: port(1883, 'Broker port.'),
      keepalive: int(60, 'Keepalive in seconds.', { min: 0, max: 65535 }),
      timeout: number(0.01, 'Seconds between loop turns.', { min: 0 }),
      mapping: bool(false, 'Use a map file.'),
      topics: list([], 'Topics to subscribe to.'),
      password: string('', 'Broker password.', { secret: true }),
      protocol: choice(['mqtt', 'mqtts', 'ws', 'wss'], 'mqtt', 'Transport.'),
    },
    'The MQTT broker.',
  ),
  LOG: section({ consolelevel: level('none', 'Console level.') }, 'Logging.'),
  INTERFACE: passthroughSection('Options for the interface.'),
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mg-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the typed defaults when no file is given', () => {
    const { values } = loadConfig(schema);
    const expected: ConfigValues<typeof schema> = {
      MQTT: { host: '127.0.0.1', port: 1883, keepalive: 60, timeout: 0.01, mapping: false, topics: [], password: '', protocol: 'mqtt' },
      LOG: { consolelevel: 'none' },
      INTERFACE: {},
    };
    expect(values).toEqual(expected);
  });

  it('reads a file written the original way and overrides only what it sets', () => {
    const path = file(
      'app.conf',
      [
        '# written for the Python mqttgateway',
        '[MQTT]',
        'host: broker.lan',
        'Port = 1884',
        'mapping: On',
        'topics: home/lighting/#, home/audio/#',
        '',
        '[LOG]',
        'consolelevel: warning',
        '',
        '[INTERFACE]',
        'port: /dev/ttyUSB0',
        'Baud: 9600',
        'empty:',
      ].join('\n'),
    );
    const loaded = loadConfig(schema, { files: [path] });
    expect(loaded.values.MQTT).toMatchObject({ host: 'broker.lan', port: 1884, keepalive: 60, mapping: true, topics: ['home/lighting/#', 'home/audio/#'] });
    expect(loaded.values.LOG.consolelevel).toBe('warn');
    expect(loaded.values.INTERFACE).toEqual({ port: '/dev/ttyUSB0', baud: '9600', empty: '' });
    expect(loaded.files).toEqual([path]);
    expect(loaded.origins['MQTT.port']).toEqual({ file: path, line: 4 });
    expect(loaded.origins['MQTT.keepalive']).toBeUndefined();
    expect(loaded.warnings).toEqual([]);
  });

  it('lets later files override earlier ones', () => {
    const a = file('a.conf', '[MQTT]\nhost: a\nport: 1\n');
    const b = file('b.conf', '[MQTT]\nhost: b\n');
    expect(loadConfig(schema, { files: [a, b] }).values.MQTT).toMatchObject({ host: 'b', port: 1 });
  });

  it.each([
    ['true', true],
    ['False', false],
    ['YES', true],
    ['no', false],
    ['1', true],
    ['0', false],
    ['on', true],
    ['OFF', false],
  ])('reads the boolean %s', (text, value) => {
    expect(loadConfig(schema, { files: [file('b.conf', `[MQTT]\nmapping: ${text}\n`)] }).values.MQTT.mapping).toBe(value);
  });

  it.each([
    ['CRITICAL', 'critical'],
    ['error', 'error'],
    ['WARN', 'warn'],
    ['Warning', 'warn'],
    ['INFO', 'info'],
    ['debug', 'debug'],
    ['NONE', 'none'],
  ])('reads the level %s', (text, value) => {
    expect(loadConfig(schema, { files: [file('l.conf', `[LOG]\nconsolelevel: ${text}\n`)] }).values.LOG.consolelevel).toBe(value);
  });

  it.each([
    ['port', 'abc', 'expected an integer from 1 to 65535'],
    ['port', '70000', 'expected an integer from 1 to 65535'],
    ['port', '0', 'expected an integer from 1 to 65535'],
    ['port', '18.5', 'expected an integer from 1 to 65535'],
    ['port', '', 'expected an integer from 1 to 65535'],
    ['keepalive', '-1', 'expected an integer from 0 to 65535'],
    ['timeout', 'fast', 'expected a number >= 0'],
    ['timeout', '-0.5', 'expected a number >= 0'],
    ['mapping', 'maybe', 'expected on/off, true/false, yes/no or 1/0'],
    ['protocol', 'http', 'expected one of mqtt, mqtts, ws, wss'],
  ])('rejects [MQTT] %s = %j with a message naming file, line, option, value and expectation', (option, value, expected) => {
    const path = file('bad.conf', `[MQTT]\n\n${option}: ${value}\n`);
    const err = problemsOf(() => loadConfig(schema, { files: [path] }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(`invalid configuration: ${path}:3: [MQTT] ${option} = ${JSON.stringify(value)}: ${expected}`);
  });

  it('rejects an unknown level', () => {
    const path = file('bad.conf', '[LOG]\nconsolelevel: LOUD\n');
    expect(() => loadConfig(schema, { files: [path] })).toThrow(
      `${path}:2: [LOG] consolelevel = "LOUD": expected CRITICAL, ERROR, WARN (or WARNING), INFO, DEBUG or NONE`,
    );
  });

  it('lists every problem at once, syntax and values', () => {
    const path = file('bad.conf', '[MQTT]\nport: x\nkeepalive: y\nnonsense line\n');
    const err = problemsOf(() => loadConfig(schema, { files: [path] }));
    expect(err.problems.map((p) => [p.line, p.option])).toEqual([
      [4, undefined],
      [2, 'port'],
      [3, 'keepalive'],
    ]);
    expect(err.message.split('\n')).toHaveLength(4);
  });

  it('warns about unknown sections and options, naming the closest known one, and ignores them', () => {
    const path = file('typo.conf', '[MQTT]\nhots: x\nqwertyuiop: 1\n[MQQT]\nhost: y\n[INTERFACE]\nanything: goes\n');
    const loaded = loadConfig(schema, { files: [path] });
    expect(loaded.warnings).toEqual([
      `${path}:2: unknown option "hots" in [MQTT]; did you mean "host"? it is ignored`,
      `${path}:3: unknown option "qwertyuiop" in [MQTT]; it is ignored`,
      `${path}:4: unknown section [MQQT]; did you mean [MQTT]? it is ignored`,
    ]);
    expect(loaded.values.MQTT.host).toBe('127.0.0.1');
    expect(loaded.values.INTERFACE).toEqual({ anything: 'goes' });
  });

  it('matches section names regardless of case', () => {
    expect(loadConfig(schema, { files: [file('c.conf', '[mqtt]\nhost: x\n')] }).values.MQTT.host).toBe('x');
  });

  it('takes MG_<SECTION>_<OPTION> environment overrides over files, and says so', () => {
    const path = file('e.conf', '[MQTT]\nport: 1884\n');
    const loaded = loadConfig(schema, {
      files: [path],
      env: { MG_MQTT_PORT: '1999', MG_LOG_CONSOLELEVEL: 'debug', MG_INTERFACE_PORT: '/dev/ttyS1', OTHER: 'x' },
    });
    expect(loaded.values.MQTT.port).toBe(1999);
    expect(loaded.values.LOG.consolelevel).toBe('debug');
    expect(loaded.values.INTERFACE).toEqual({ port: '/dev/ttyS1' });
    expect(loaded.origins['MQTT.port']).toEqual({ env: 'MG_MQTT_PORT' });
    expect(loaded.notices).toContain('[MQTT] port is set by environment variable MG_MQTT_PORT');
  });

  it('validates environment values and names the variable', () => {
    expect(() => loadConfig(schema, { env: { MG_MQTT_PORT: 'nope' } })).toThrow(
      'environment variable MG_MQTT_PORT: [MQTT] port = "nope": expected an integer from 1 to 65535',
    );
  });

  it('fails clearly on a missing file, and skips it when optional', () => {
    const missing = join(dir, 'nope.conf');
    const err = problemsOf(() => loadConfig(schema, { files: [missing] }));
    expect(err.code).toBe('CONFIG_FILE_MISSING');
    expect(err.message).toContain(missing);
    expect(loadConfig(schema, { files: [{ path: missing, optional: true }] }).files).toEqual([]);
  });

  it('fails clearly on a file that cannot be read', () => {
    const folder = join(dir, 'folder.conf');
    mkdirSync(folder);
    const err = problemsOf(() => loadConfig(schema, { files: [folder] }));
    expect(err.code).toBe('CONFIG_FILE_UNREADABLE');
    expect(err.message).toBe(`invalid configuration: ${folder}: the configuration file cannot be read (it is a directory)`);
    expect(err.cause).toBeDefined();
  });

  it('refuses a file without read permission (when not running as root)', () => {
    const path = file('secret.conf', '[MQTT]\n');
    chmodSync(path, 0o000);
    const isRoot = process.getuid?.() === 0;
    // root reads anything, so there the same file loads: both outcomes are checked.
    if (isRoot) expect(loadConfig(schema, { files: [path] }).files).toEqual([path]);
    else expect(() => loadConfig(schema, { files: [path] })).toThrow('permission denied');
  });
});

describe('renderDefaults', () => {
  it('writes every option with its default and comment, and reads back as the defaults', () => {
    const text = renderDefaults(schema, ['Defaults of the test app']);
    expect(text).toContain('# Broker port.\nport: 1883\n');
    expect(text).toContain('# Use a map file.\nmapping: off\n');
    expect(text).toContain('password:\n');
    expect(text.startsWith('# Defaults of the test app\n\n[MQTT]\n# The MQTT broker.\n')).toBe(true);
    const loaded = loadConfig(schema, { files: [file('defaults.conf', text)] });
    expect(loaded.values).toEqual(loadConfig(schema).values);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('describeConfig', () => {
  it('lists every value with its origin and hides secrets', () => {
    const path = file('s.conf', '[MQTT]\npassword: hunter2\n[INTERFACE]\napi_key: k3y\nport: 5\nlicensekey: l1c\n');
    const lines = describeConfig(schema, loadConfig(schema, { files: [path] }));
    expect(lines).toContain(`[MQTT] password = ******** (${path}:2)`);
    expect(lines).toContain(`[INTERFACE] api_key = ******** (${path}:4)`);
    expect(lines).toContain(`[INTERFACE] port = "5" (${path}:5)`);
    expect(lines).toContain('[MQTT] port = 1883');
    expect(lines).toContain(`[INTERFACE] licensekey = ******** (${path}:6)`); // "key" anywhere, as documented
    expect(lines.join('\n')).not.toMatch(/hunter2|k3y|l1c/);
    const set = describeConfig(schema, loadConfig(schema, { files: [path] }), { onlySet: true });
    expect(set).toEqual([
      `[MQTT] password = ******** (${path}:2)`,
      `[INTERFACE] api_key = ******** (${path}:4)`,
      `[INTERFACE] port = "5" (${path}:5)`,
      `[INTERFACE] licensekey = ******** (${path}:6)`,
    ]);
  });
});

describe('loadConfig values (a program gives the configuration)', () => {
  it('takes typed values over the files, validated like text, the environment still last', () => {
    const path = file('v.conf', '[MQTT]\nport: 1884\nhost: from-file\n');
    const loaded = loadConfig(schema, {
      files: [path],
      values: { MQTT: { port: 1885, mapping: true, topics: ['a/#', 'b/#'] }, INTERFACE: { interval: 5 } },
      env: { MG_MQTT_HOST: 'from-env' },
    });
    expect(loaded.values.MQTT).toMatchObject({ port: 1885, host: 'from-env', mapping: true, topics: ['a/#', 'b/#'] });
    expect(loaded.values.INTERFACE).toEqual({ interval: '5' });
    expect(loaded.origins['MQTT.port']).toEqual({ source: 'configuration object' });
  });

  it('names the source, the option and what was expected for a bad value; warns about unknown names', () => {
    const err = problemsOf(() => loadConfig(schema, { values: { MQTT: { port: 70000 } }, valuesSource: 'createGateway()' }));
    expect(err.message).toContain('createGateway(): [MQTT] port = "70000"');
    const loaded = loadConfig(schema, { values: { MQTT: { prot: 1 }, MQT: {} }, valuesSource: 'createGateway()' });
    expect(loaded.warnings).toEqual([
      'createGateway(): unknown option "prot" in [MQTT]; did you mean "port"? it is ignored',
      'createGateway(): unknown section [MQT]; did you mean [MQTT]? it is ignored',
    ]);
  });
});

describe('required options', () => {
  it('refuse an empty or missing value with the hint, naming the file', () => {
    const s = defineConfig({ INTERFACE: section({ port: string('', 'Device.', { required: 'give the device, e.g. "port: /dev/ttyUSB0"' }) }, 'Interface.') });
    const path = file('r.conf', '[INTERFACE]\nport:\n');
    expect(problemsOf(() => loadConfig(s, { files: [path] })).message).toContain(
      `${path}:2: [INTERFACE] port = "": is required: give the device, e.g. "port: /dev/ttyUSB0"`,
    );
    const without = file('w.conf', '[INTERFACE]\n');
    expect(problemsOf(() => loadConfig(s, { files: [without] })).message).toContain(`${without}: [INTERFACE] port: is required: give the device`);
    expect(loadConfig(s, { values: { INTERFACE: { port: '/dev/ttyS0' } } }).values.INTERFACE.port).toBe('/dev/ttyS0');
  });
});

describe('renderOptionsTable', () => {
  it('lists each option with its default (or "required") and its description', () => {
    const table = renderOptionsTable({
      port: string('', 'The device | path.', { required: 'give one' }),
      interval: number(30, 'Seconds between two commands.'),
      name: string('', 'A name.'),
    });
    expect(table.split('\n')).toEqual([
      '| option | default | meaning |',
      '| --- | --- | --- |',
      '| `port` | (required) | The device \\| path. |',
      '| `interval` | `30` | Seconds between two commands. |',
      '| `name` | (empty) | A name. |',
    ]);
  });
});

describe('choice() of numbers', () => {
  const qos = defineConfig({ MQTT: section({ subqos: choice([0, 1, 2], 0, 'QoS of the subscriptions.') }, 'The broker.') });

  it('gives the number, shown as a number where the effective values are printed', () => {
    const loaded = loadConfig(qos, { values: { MQTT: { subqos: '1' } } });
    expect(loaded.values.MQTT.subqos).toBe(1);
    expect(describeConfig(qos, loaded)).toEqual(['[MQTT] subqos = 1 (configuration object)']);
    expect(describeConfig(qos, loadConfig(qos))).toEqual(['[MQTT] subqos = 0']);
    expect(renderDefaults(qos)).toContain('subqos: 0');
  });

  it('refuses another value as it does words', () => {
    expect(() => loadConfig(qos, { values: { MQTT: { subqos: '3' } } })).toThrow('[MQTT] subqos = "3": expected one of 0, 1, 2');
  });
});
