import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devicesJsonSchema, mapJsonSchema, MessageMap, renderGatewayDefaults } from '../internal.js';
import { gatewayConfigSchema } from './gateway-config.js';
import { loadConfig } from '@mg/config';
import { DUMMY_MAP_PATH } from '../test-support/fixtures.js';

const pkg = join(__dirname, '..', '..');

describe('files generated from the schemas', () => {
  it('schema/map.schema.json is current (regenerate with `pnpm --filter @mg/core generate`)', () => {
    const shipped = JSON.parse(readFileSync(join(pkg, 'schema', 'map.schema.json'), 'utf8'));
    expect(shipped).toEqual(mapJsonSchema());
  });

  it('schema/devices.schema.json is current (regenerate with `pnpm --filter @mg/core generate`)', () => {
    const shipped = JSON.parse(readFileSync(join(pkg, 'schema', 'devices.schema.json'), 'utf8'));
    expect(shipped).toEqual(devicesJsonSchema());
  });

  it('default.conf is current, and loads as exactly the defaults', () => {
    const text = readFileSync(join(pkg, 'default.conf'), 'utf8');
    expect(text).toBe(renderGatewayDefaults());
    const fromFile = loadConfig(gatewayConfigSchema, { files: [join(pkg, 'default.conf')] });
    expect(fromFile.values).toEqual(loadConfig(gatewayConfigSchema).values);
    expect(fromFile.warnings).toEqual([]);
  });

  it('the JSON Schema describes the dummy map as valid and a broken one as invalid', () => {
    // A hand check of the generated schema's shape, the part editors rely on.
    const schema = mapJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { properties?: { maptype?: { enum?: string[] } } }>;
    };
    expect(schema.required).toEqual(['root', 'topics']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.action?.properties?.maptype?.enum).toEqual(['none', 'loose', 'strict']);
    expect(() => MessageMap.fromFile(DUMMY_MAP_PATH)).not.toThrow();
  });
});
