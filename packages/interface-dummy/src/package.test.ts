import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineConfig, loadConfig, optionMeta, renderOptionsTable, section } from '@mg/config';
import { gatewaySections } from '@mg/core/options';
import { createTestGateway } from '@mg/core/testing';
import { DummyInterface } from './dummy-interface.js';
import { brokerSection } from '@mg/embedded-broker';
import { homeAssistant } from '@mg/homeassistant';
import { homie } from '@mg/homie';
import { web } from '@mg/web';
import { docOnDisk, indexExports, withSection } from '@mg/test-helpers';
import * as api from './index.js';

const pkgDir = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const schema = defineConfig({
  ...gatewaySections,
  BROKER: brokerSection,
  HOMEASSISTANT: section(homeAssistant.options, homeAssistant.description),
  HOMIE: section(homie.options, homie.description),
  WEB: section(web.options, web.description),
  INTERFACE: section(DummyInterface.options, 'The dummy.'),
});

describe('the @mg/interface-dummy package', () => {
  it('exports the interface and its options by name, and nothing else', () => {
    expect(indexExports(join(__dirname, 'index.ts'), api)).toEqual(['DummyInterface', 'dummyOptions']);
  });

  it('depends only on @mg/core, the optional embedded broker, the two conventions, the status page and MQTT.js for the smoke test', () => {
    // mqtt (already core's) for the smoke test's own client, as a user would watch the broker.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['@mg/core', '@mg/embedded-broker', '@mg/homeassistant', '@mg/homie', '@mg/web', 'mqtt']);
  });

  it.each(['dummy2mqtt.conf', 'demo.conf'])('%s loads without a warning', (file) => {
    const loaded = loadConfig(schema, { files: [join(pkgDir, file)] });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.values.INTERFACE.port).toBe('/dev/ttyDUMMY');
    expect(loaded.values.INTERFACE.interval).toEqual(expect.any(Number));
    expect(loaded.values.MQTT.mapping).toBe(true);
  });

  it('dummy2mqtt.conf shows every option, set or commented out with its default', () => {
    const text = readFileSync(join(pkgDir, 'dummy2mqtt.conf'), 'utf8');
    const missing: string[] = [];
    for (const [section, s] of Object.entries(schema.shape)) {
      expect(text).toContain(`[${section}]`);
      if (!('shape' in s)) continue;
      // Options are looked for in their own section (two sections have a "prefix").
      const body = text.slice(text.indexOf(`[${section}]`)).split(/^\[/m)[1] ?? '';
      for (const [name, option] of Object.entries(s.shape as Record<string, Parameters<typeof optionMeta>[0]>)) {
        const def = optionMeta(option)!.default;
        const shown = new RegExp(`^(# )?${name}:( .*)?$`, 'm').exec(body);
        if (!shown) missing.push(`[${section}] ${name}`);
        else if (shown[1] && (shown[2] ?? '').trim() !== def) missing.push(`[${section}] ${name} commented with ${shown[2]}, default is ${def}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('ships the dummy map, valid (a gateway builds on it)', () => {
    const mapfilename = join(pkgDir, 'dummy.map.json');
    expect(() => createTestGateway(DummyInterface, { options: { port: 'x' }, mqtt: { mapping: true, mapfilename } })).not.toThrow();
    expect((JSON.parse(readFileSync(mapfilename, 'utf8')) as { root: string }).root).toBe('testmqttgtw');
  });
});

describe('the README', () => {
  it('shows the [INTERFACE] options as the code declares them (UPDATE_DOCS=1 rewrites the table)', () => {
    const path = join(pkgDir, 'README.md');
    const wanted = withSection(readFileSync(path, 'utf8'), 'options', renderOptionsTable(DummyInterface.options));
    expect(docOnDisk(path, wanted)).toBe(wanted);
  });
});

describe('the dummy map', () => {
  it("is the one the core's tests use (one map, not two that drift apart)", () => {
    const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const coreFixture = join(dirname(require.resolve('@mg/core/package.json')), 'test', 'fixtures', 'dummy.map.json');
    expect(read(coreFixture)).toEqual(read(join(pkgDir, 'dummy.map.json')));
  });
});
