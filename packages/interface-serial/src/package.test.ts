import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, loadConfig, optionMeta } from '@mg/config';
import { createTestContext, createTestGateway } from '@mg/core/testing';
import { indexExports } from '@mg/test-helpers';
import { gatewaySchema } from './test-support/gateway-schema.js';
import * as api from './index.js';
import { loadProfile, loadProfileFile, SerialInterface, shippedProfilePath } from './index.js';

const pkgDir = join(__dirname, '..');
const read = (path: string) => readFileSync(path, 'utf8');
const pkg = JSON.parse(read(join(pkgDir, 'package.json'))) as {
  dependencies: Record<string, string>;
  files: string[];
  exports: Record<string, unknown>;
  bin?: unknown;
};

describe('the @mg/interface-serial package', () => {
  it('exports what serial2mqtt users, profile authors and launchers need, by name, and nothing else', () => {
    // The profile engine's parts (zod schema, templates, encodings, profile lookup) stay inside:
    // a new name here is a conscious change to this list and to the README's API table.
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual([
      'CONNECTION_ACTION',
      'CommandResult',
      'CompiledProfile',
      'ParsedStatus',
      'Profile',
      'ProfileError',
      'ProfileErrorCode',
      'ProfileInput',
      'ProfileIssue',
      'ProfilePoll',
      'ProfileQueries',
      'ProfileTransportOptions',
      'SerialCounters',
      'SerialInterface',
      'SerialOptions',
      'configFileOf',
      'loadProfile',
      'loadProfileFile',
      'profileJsonSchema',
      'renderProfileReference',
      'serialInterfaceFor',
      'shippedProfileNames',
      'shippedProfilePath',
    ]);
  });

  it("depends on the core, the utilities it uses, the two conventions and the status page serial2mqtt ships, serialport and zod (the core's version), nothing else", () => {
    // @mg/config: profile problems worded as core words map problems; @mg/app-properties: the launcher finds the configuration file as startGateway does, so that
    // --check loads relative profiles; serialport: device-io loads it for serial device paths;
    // @mg/homeassistant, @mg/homie and @mg/web: the launcher's extensions, off until their sections say on.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      '@mg/app-properties',
      '@mg/config',
      '@mg/core',
      '@mg/device-io',
      '@mg/errors',
      '@mg/homeassistant',
      '@mg/homie',
      '@mg/throttled-error',
      '@mg/web',
      'serialport',
      'zod',
    ]);
    const core = JSON.parse(read(join(pkgDir, '..', 'core', 'package.json'))) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.zod).toBe(core.dependencies.zod);
    expect(pkg.dependencies.serialport).toBe('^13.0.0');
  });

  it('publishes the profiles, the schema, the reference, the configuration and the map, and the serial2mqtt bin', () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining(['dist', 'bin', 'profiles', 'schema', 'docs', '!dist/test-support', 'serial2mqtt.conf', 'serial2mqtt.map.json']),
    );
    expect(pkg.exports['./profile.schema.json']).toBe('./schema/profile.schema.json');
    expect(pkg.exports['./profiles/*']).toBe('./profiles/*');
    expect(pkg.bin).toEqual({ serial2mqtt: './bin/serial2mqtt.js' });
  });

  it('serial2mqtt.conf loads without a warning, [INTERFACE] first', () => {
    const text = read(join(pkgDir, 'serial2mqtt.conf'));
    expect(/^\[(\w+)\]$/m.exec(text)?.[1]).toBe('INTERFACE');
    const loaded = loadConfig(defineConfig(gatewaySchema()), { files: [join(pkgDir, 'serial2mqtt.conf')] });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.values.INTERFACE).toMatchObject({
      port: '/dev/ttyUSB0',
      profile: 'denon-avr',
      function: 'AudioVideo',
      location: 'LivingRoom',
      device: 'Receiver',
    });
  });

  it('serial2mqtt.conf shows every option, set or commented out with its default', () => {
    const text = read(join(pkgDir, 'serial2mqtt.conf'));
    const missing: string[] = [];
    for (const [section, s] of Object.entries(gatewaySchema())) {
      expect(text).toContain(`[${section}]`);
      // Options of the same name in two sections (reconnectmin): each is looked for in its own.
      const own = text.split(`[${section}]`)[1]!.split(/^\[/m)[0]!;
      if (!('shape' in s)) continue;
      for (const [name, option] of Object.entries(s.shape as Record<string, Parameters<typeof optionMeta>[0]>)) {
        const def = optionMeta(option)!.default;
        const shown = new RegExp(`^(# )?${name}:( .*)?$`, 'm').exec(own);
        if (!shown) missing.push(`[${section}] ${name}`);
        else if (shown[1] && (shown[2] ?? '').trim() !== def) missing.push(`[${section}] ${name} commented with ${shown[2]}, default is ${def}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('ships a valid map with root home and a word for every Denon action and status', () => {
    const mapfilename = join(pkgDir, 'serial2mqtt.map.json');
    expect(() =>
      createTestGateway(SerialInterface, { options: { port: 'tcp://127.0.0.1:23', profile: 'denon-avr' }, mqtt: { mapping: true, mapfilename } }),
    ).not.toThrow();
    const map = JSON.parse(read(mapfilename)) as { root: string; action: { map: Record<string, string[]> } };
    expect(map.root).toBe('home');
    const denon = loadProfileFile(shippedProfilePath('denon-avr')!);
    expect(Object.keys(map.action.map).sort()).toEqual([...denon.actions, ...denon.statusActions, 'CONNECTION'].sort());
    for (const [internal, words] of Object.entries(map.action.map)) expect(words[0]).toBe(internal.toLowerCase());
  });

  it("the README's [INTERFACE] table has every option with its default", () => {
    const readme = read(join(pkgDir, 'README.md'));
    const table = readme
      .split('## Configuration')[1]!
      .split('\n\n')
      .find((block) => block.startsWith('| option |'))!;
    for (const [name, option] of Object.entries(SerialInterface.options)) {
      const row = table.split('\n').find((line) => line.startsWith('| ') && line.split('|')[1]!.includes(`\`${name}\``));
      expect(row).toBeDefined();
      const def = optionMeta(option)!.default;
      expect(row).toContain(def === '' ? (optionMeta(option)!.required ? '(required)' : 'empty') : `\`${def}\``);
    }
  });

  it('the README shows every Denon command and status as the profile has them', () => {
    const readme = read(join(pkgDir, 'README.md'));
    const denon = loadProfileFile(shippedProfilePath('denon-avr')!).definition;
    for (const [action, command] of Object.entries(denon.commands))
      expect(readme).toMatch(new RegExp(`\\| \`${action}\` \\|.*\\| \`${command.send.replace(/[{}]/g, '\\$&')}\``));
    for (const status of denon.statuses) expect(readme).toContain(`| \`${status.action}\` |`);
    for (const query of denon.queries.atStart) expect(readme).toContain(`\`${query}\``);
  });

  it('the README shows every Denon capability with its kind and the command it sends', () => {
    const readme = read(join(pkgDir, 'README.md')).split('### Capabilities')[1]!;
    const denon = loadProfileFile(shippedProfilePath('denon-avr')!).definition;
    for (const c of denon.capabilities!) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${c.id}\` | ${c.name} | ${c.kind}`));
      expect(row).toBeDefined();
      const sends = c.command && 'action' in c.command ? [c.command.action] : Object.values(c.command?.actions ?? {});
      for (const action of sends) expect(row).toContain(`\`${action}\``);
      if (c.min !== undefined) expect(row).toContain(`${c.min} to ${c.max}, step ${c.step}`);
    }
  });

  it("the README's example profile is valid and does what the README says", () => {
    const example = /```json\n([\s\S]*?)```/.exec(read(join(pkgDir, 'README.md')))![1]!;
    const profile = loadProfile(JSON.parse(example), 'README example');
    expect(profile.commandFor('INPUT_SET', { input: 'vga' })).toEqual({ ok: true, line: 'SOURCE 11' });
    expect(profile.commandFor('LAMP_SET', { pct: 7 })).toEqual({ ok: true, line: 'LAMP 007' });
    expect(profile.parseLine('LAMP=1234H')).toEqual({ action: 'LAMP_HOURS', arguments: { hours: 1234 } });
    expect(profile.queries.polls).toEqual([
      { id: 'queries.poll[0]', intervalMs: 10_000, jitterMs: 0, send: ['PWR?'] },
      { id: 'queries.poll[1]', intervalMs: 600_000, jitterMs: 30_000, send: ['LAMP?'] },
    ]);
    // The bad entry the README shows, as the loader words it.
    const bad = JSON.parse(example) as { queries: { poll: { jitter?: number }[] } };
    bad.queries.poll[0]!.jitter = 10;
    const shown = /`(queries\.poll\[0\]\.jitter: [^`]*)`/.exec(read(join(pkgDir, 'README.md')))![1]!;
    expect(() => loadProfile(bad, 'README example')).toThrow(shown);
    // Its device, as core validates it.
    const dir = mkdtempSync(join(tmpdir(), 'mg-serial-readme-'));
    try {
      writeFileSync(join(dir, 'acme.json'), example);
      const { context } = createTestContext(SerialInterface, { port: 'tcp://127.0.0.1:23', profile: join(dir, 'acme.json') });
      expect(context.devices.list()).toMatchObject([
        {
          id: 'acme-projector',
          capabilities: [
            { id: 'input', access: 'write' },
            { id: 'power', access: 'read', publish: { changeOnly: true } },
            { id: 'lamp-hours', access: 'read', unit: 'h', publish: { changeOnly: true, refresh: 3600 } },
          ],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the README's pool controller profile is valid and does what the README says", () => {
    const section = read(join(pkgDir, 'README.md')).split('### A device that refuses')[1]!;
    const profile = loadProfile(JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!), 'README pool example');
    expect(profile.statusesOf('STATUS PUMP=ON TEMP=27.5 SETPOINT=28.0')).toEqual([
      { action: 'PUMP', arguments: { state: 'on' } },
      { action: 'TEMPERATURE', arguments: { value: 27.5 } },
      { action: 'SETPOINT', arguments: { value: 28 } },
    ]);
    const answers = profile.answersFor('SETPOINT_SET')!;
    expect(answers.refused!.exec('ERR OUT OF RANGE')?.groups?.reason).toBe('OUT OF RANGE');
    expect(answers.busy!.test('ERR BUSY')).toBe(true);
    expect(answers.ok('ERR BUSY')).toBe(false);
    expect(profile.thenFor('PUMP_ON')).toEqual(['STATUS?']);
    expect(profile.queries.atStart).toEqual(['STATUS?']);
  });

  it("the README's validation example is what the loader says", () => {
    const shown = /### Validation[\s\S]*?```text\n([\s\S]*?)\n```/.exec(read(join(pkgDir, 'README.md')))![1]!;
    const broken = {
      name: 'x',
      description: 'y',
      commands: { VOL_SET: { send: 'MV{lvl}', arguments: { level: { type: 'number' } } } },
      statuses: [
        { match: 'PWON', action: 'POWER' },
        { match: 'MUON', action: 'MUTE' },
        { match: 'SI(.+', action: 'INPUT' },
      ],
    };
    expect(() => loadProfile(broken, 'my-device.json')).toThrow(shown);
  });
});
