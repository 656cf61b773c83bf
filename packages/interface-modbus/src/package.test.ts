import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, loadConfig, optionMeta } from '@mg/config';
import { createTestGateway } from '@mg/core/testing';
import { indexExports } from '@mg/test-helpers';
import { gatewaySchema } from './test-support/gateway-schema.js';
import * as api from './index.js';
import { loadModbusProfile, ModbusInterface, shippedModbusProfileNames } from './index.js';

const pkgDir = join(__dirname, '..');
const read = (path: string) => readFileSync(path, 'utf8');
const pkg = JSON.parse(read(join(pkgDir, 'package.json'))) as {
  dependencies: Record<string, string>;
  files: string[];
  exports: Record<string, unknown>;
  bin?: unknown;
};

describe('the @mg/interface-modbus package', () => {
  it('exports what modbus2mqtt users, profile authors and launchers need, by name, and nothing else', () => {
    // The bus, the poll plan and the profile engine's parts stay inside: a new name here is a
    // conscious change to this list and to the README's API section.
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual([
      'CheckResult',
      'CompiledModbusProfile',
      'ModbusCommand',
      'ModbusCounters',
      'ModbusError',
      'ModbusErrorCode',
      'ModbusExceptionError',
      'ModbusInterface',
      'ModbusOptions',
      'ModbusPoint',
      'ModbusProfileError',
      'ModbusProfileIssue',
      'Order',
      'ProfileInput',
      'Table',
      'ValueType',
      'compileModbusProfile',
      'configFileOf',
      'exceptionName',
      'loadModbusProfile',
      'modbusInterfaceFor',
      'shippedModbusProfileNames',
    ]);
  });

  it('publishes the profiles, the schema, the examples, the configuration and the map, and the modbus2mqtt bin', () => {
    expect(pkg.files).toEqual(
      expect.arrayContaining(['dist', 'bin', 'profiles', 'schema', 'examples', '!dist/test-support', 'modbus2mqtt.conf', 'modbus2mqtt.map.json']),
    );
    expect(pkg.bin).toEqual({ modbus2mqtt: './bin/modbus2mqtt.js' });
    // @mg/backoff: the bus's reconnection delays, as every @mg transport grows them.
    expect(pkg.dependencies['@mg/backoff']).toBe('workspace:^');
    expect(pkg.dependencies['modbus-serial']).toBe('^8.0.25');
  });

  it('modbus2mqtt.conf loads without a warning, [INTERFACE] first', () => {
    const text = read(join(pkgDir, 'modbus2mqtt.conf'));
    expect(/^\[(\w+)\]$/m.exec(text)?.[1]).toBe('INTERFACE');
    const loaded = loadConfig(defineConfig(gatewaySchema()), { files: [join(pkgDir, 'modbus2mqtt.conf')] });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.values.INTERFACE).toMatchObject({
      address: 'tcp://192.168.1.30:502',
      devices: ['meter:1:eastron-sdm630'],
      function: 'Energy',
      location: 'Basement',
    });
  });

  it('modbus2mqtt.conf shows every option, set or commented out with its default', () => {
    const text = read(join(pkgDir, 'modbus2mqtt.conf'));
    const missing: string[] = [];
    for (const [section, s] of Object.entries(gatewaySchema())) {
      expect(text).toContain(`[${section}]`);
      // Options of the same name in two sections (reconnectmin, timeout): each is looked for in its own.
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

  it('ships a valid map with root home and a lower-case word for every action of the shipped profiles', () => {
    const mapfilename = join(pkgDir, 'modbus2mqtt.map.json');
    expect(() =>
      createTestGateway(ModbusInterface, {
        options: { address: 'tcp://127.0.0.1:502', devices: 'meter:1:eastron-sdm630' },
        mqtt: { mapping: true, mapfilename },
      }),
    ).not.toThrow();
    const map = JSON.parse(read(mapfilename)) as { root: string; action: { map: Record<string, string[]> } };
    expect(map.root).toBe('home');
    const actions = new Set<string>();
    for (const name of shippedModbusProfileNames()) {
      const profile = loadModbusProfile(name, pkgDir);
      for (const p of profile.points) actions.add(p.action);
      for (const action of profile.commands.keys()) actions.add(action);
    }
    expect(Object.keys(map.action.map).sort()).toEqual([...actions].sort());
    for (const [internal, words] of Object.entries(map.action.map)) expect(words[0]).toBe(internal.toLowerCase());
  });

  it("the README's [INTERFACE] table has every option with its default", () => {
    const readme = read(join(pkgDir, 'README.md'));
    const table = readme
      .split('## Configuration')[1]!
      .split('\n\n')
      .find((block) => block.startsWith('| option |'))!;
    for (const [name, option] of Object.entries(ModbusInterface.options)) {
      const row = table.split('\n').find((line) => line.startsWith('| ') && line.split('|')[1]!.includes(`\`${name}\``));
      expect(row).toBeDefined();
      const def = optionMeta(option)!.default;
      expect(row).toContain(def === '' ? (optionMeta(option)!.required ? '(required)' : 'empty') : `\`${def}\``);
    }
  });
});
