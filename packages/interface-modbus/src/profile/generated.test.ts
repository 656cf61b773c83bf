import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docOnDisk } from '@mg/test-helpers';
import { profileJsonSchema, renderProfileReference, shippedModbusProfileNames } from './index.js';

const pkg = join(__dirname, '..', '..');

describe('files generated from the profile schema', () => {
  it('schema/profile.schema.json is current (regenerate with `pnpm --filter @mg/interface-modbus generate`, or UPDATE_DOCS=1)', () => {
    const path = join(pkg, 'schema', 'profile.schema.json');
    const text = `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
    expect(docOnDisk(path, text)).toBe(text);
  });

  it('docs/profile-reference.md is current (UPDATE_DOCS=1 rewrites it)', () => {
    const text = renderProfileReference();
    expect(docOnDisk(join(pkg, 'docs', 'profile-reference.md'), text)).toBe(text);
  });

  it('the JSON Schema has the shape editors rely on', () => {
    interface Node {
      default?: unknown;
      description?: string;
      items?: Node;
      properties?: Record<string, Node>;
    }
    const schema = profileJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, Node> };
    expect(schema.required).toEqual(['name', 'description', 'points']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.pollSeconds?.default).toBe(10);
    // Every key of a point and of a capability has a hint: a key added without one shows here.
    for (const list of ['points', 'capabilities']) {
      const keys = schema.properties[list]!.items!.properties!;
      expect(Object.keys(keys).filter((key) => !keys[key]!.description)).toEqual([]);
    }
  });

  it.each(shippedModbusProfileNames())('shipped profile %s points editors at the shipped schema', (name) => {
    const profile = JSON.parse(readFileSync(join(pkg, 'profiles', `${name}.json`), 'utf8')) as { $schema?: string; name: string };
    expect(profile.$schema).toBe('../schema/profile.schema.json');
    expect(profile.name).toBe(name);
  });
});
