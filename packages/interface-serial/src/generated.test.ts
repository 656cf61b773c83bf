import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileJsonSchema, renderProfileReference, shippedProfileNames, shippedProfilePath } from './index.js';
import { docOnDisk } from '@mg/test-helpers';

const pkg = join(__dirname, '..');

describe('files generated from the profile schema', () => {
  it('schema/profile.schema.json is current (regenerate with `pnpm --filter @mg/interface-serial generate`)', () => {
    const shipped = JSON.parse(readFileSync(join(pkg, 'schema', 'profile.schema.json'), 'utf8'));
    expect(shipped).toEqual(profileJsonSchema());
  });

  it('docs/profile-reference.md is current (UPDATE_DOCS=1 rewrites it)', () => {
    const page = join(pkg, 'docs', 'profile-reference.md');
    const text = renderProfileReference();
    expect(docOnDisk(page, text)).toBe(text);
  });

  it('the JSON Schema has the shape editors rely on', () => {
    interface Node {
      default?: unknown;
      description?: string;
      items?: Node;
      properties?: Record<string, Node>;
    }
    const schema = profileJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, Node> };
    expect(schema.required).toEqual(['name', 'description']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.spacingMs?.default).toBe(0);
    // Every capability key has a hint, core's or the profile's: a key core adds without one shows here.
    const capability = schema.properties.capabilities!.items!.properties!;
    expect(Object.keys(capability).filter((key) => !capability[key]!.description)).toEqual([]);
  });

  it.each(shippedProfileNames())('shipped profile %s points editors at the shipped schema', (name) => {
    const profile = JSON.parse(readFileSync(shippedProfilePath(name)!, 'utf8')) as { $schema?: string; name: string };
    expect(profile.$schema).toBe('../schema/profile.schema.json');
    expect(profile.name).toBe(name);
  });
});
